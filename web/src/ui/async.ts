import { useCallback, useEffect, useState } from 'preact/hooks';

export interface AsyncState<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly loading: boolean;
  /** Runs the load again (after a change the page made). */
  readonly reload: () => void;
}

/**
 * Loads `load()` when the component mounts and whenever `dependencies` change; a load that finishes after a newer
 * one started is dropped, so the page never shows an answer to an older question.
 */
export function useAsync<T>(load: () => Promise<T>, dependencies: readonly unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => {
        if (current) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (current) setState({ error, loading: false });
      },
    );
    return () => {
      current = false;
    };
  }, [...dependencies, generation]);
  return { ...state, reload };
}
