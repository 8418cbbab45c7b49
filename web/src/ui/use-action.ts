import { useCallback, useState } from 'preact/hooks';

/** Something a user does (create, delete, save...), with what the page shows while and after it runs. */
export interface UserAction<A extends unknown[]> {
  /** Runs the action; resolves true when it succeeded (the failure is in `error`, for an ErrorNotice). */
  readonly run: (...args: A) => Promise<boolean>;
  readonly busy: boolean;
  readonly error: unknown;
  readonly clearError: () => void;
}

/**
 * Wraps an action the user starts: `busy` while it runs (to disable its button), its failure kept for an
 * `<ErrorNotice>` beside the control, and cleared when it is tried again.
 *
 * @example
 *   const remove = useAction(async (name: string) => { await deleteUser(clients.iam, name); users.reload(); });
 *   <button disabled={remove.busy} onClick={() => void remove.run('alice')}>Delete</button>
 *   <ErrorNotice error={remove.error} />
 */
export function useAction<A extends unknown[]>(perform: (...args: A) => Promise<void>): UserAction<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (...args: A): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await perform(...args);
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const clearError = useCallback(() => setError(undefined), []);
  return { run, busy, error, clearError };
}
