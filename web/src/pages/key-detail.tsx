import { Page } from '../ui/page';

export function KeyDetailPage({ keyId }: { keyId: string }) {
  return <Page title="Key"><p>{keyId}</p></Page>;
}
