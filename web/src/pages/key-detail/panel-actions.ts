import { useState } from 'preact/hooks';

/**
 * A panel's changes to a key (several buttons, one notice): which one is running, how the last one ended. Unlike
 * ui/use-action.ts (one action, its own error), a panel shows one outcome for all its actions.
 */
export interface PanelActions {
  /** The name of the action running now (its button shows it busy; the others wait). */
  readonly busy?: string;
  /** The server's refusal of the last action, shown inline with ErrorNotice. */
  readonly error?: unknown;
  /** What the last action did, for a polite success notice. */
  readonly done?: string;
  /**
   * Runs `action` unless another is running; on success says `done` (a message, or one made from the action's
   * result) and calls `then` (a reload), on failure keeps the error. Resolves to whether it succeeded and never
   * rejects, so handlers may call it with `void`.
   */
  readonly run: <T>(name: string, action: () => Promise<T>, done?: string | ((result: T) => string), then?: () => void) => Promise<boolean>;
}

export function usePanelActions(): PanelActions {
  const [state, setState] = useState<{ busy?: string; error?: unknown; done?: string }>({});
  const run = async <T,>(name: string, action: () => Promise<T>, done?: string | ((result: T) => string), then?: () => void): Promise<boolean> => {
    if (state.busy !== undefined) return false;
    setState({ busy: name });
    try {
      const result = await action();
      const message = typeof done === 'function' ? done(result) : done;
      setState(message === undefined ? {} : { done: message });
      then?.();
      return true;
    } catch (error) {
      setState({ error });
      return false;
    }
  };
  return { ...state, run };
}
