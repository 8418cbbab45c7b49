import { ErrorNotice } from '../../ui/errors';
import type { PanelActions } from './panel-actions';

/** How a panel's last change ended: the server's refusal (an alert), or what was done (a polite status). */
export function ActionNotices({ action }: { action: PanelActions }) {
  if (action.error !== undefined) return <ErrorNotice error={action.error} />;
  if (action.done === undefined) return null;
  return (
    <p class="notice success" role="status">
      {action.done}
    </p>
  );
}
