import { Page } from '../ui/page';

export function CreateKeyPage() {
  return <Page title="Create key"><p>To be built.</p></Page>;
}
