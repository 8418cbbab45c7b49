import { Page } from '../ui/page';

export function ExplainPage() {
  return <Page title="Why was this denied?"><p>To be built.</p></Page>;
}
