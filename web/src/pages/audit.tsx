import { Page } from '../ui/page';

export function AuditPage() {
  return <Page title="Audit trail"><p>To be built.</p></Page>;
}
