import { Page } from '../ui/page';

export function IdentitiesPage() {
  return <Page title="Identities"><p>To be built.</p></Page>;
}
