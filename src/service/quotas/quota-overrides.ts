import { parse as parseYaml } from 'yaml';
import { AWS_REQUEST_QUOTAS, isQuotaName } from './quota-table.js';

/** What a quota file may leave out of a quota's name. */
const SUFFIX = ' request rate';

/**
 * The overrides a quota file holds, by AWS's full quota name. Throws one error naming every bad entry.
 * YAML is a superset of JSON, so one parser reads both.
 */
export function parseQuotaOverrides(text: string, fileName: string): Map<string, number> {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new Error(`the quota file ${fileName} is neither JSON nor YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  if (document === null || document === undefined) return new Map();
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new Error(`the quota file ${fileName} must map quota names to requests per second, e.g. "CreateKey request rate: 1"`);
  }
  const overrides = new Map<string, number>();
  const problems: string[] = [];
  for (const [entry, value] of Object.entries(document)) {
    const name = isQuotaName(entry) ? entry : `${entry}${SUFFIX}`;
    if (!isQuotaName(name)) problems.push(`"${entry}" is not an AWS KMS request quota${suggestion(entry)}`);
    else if (overrides.has(name)) problems.push(`"${entry}" sets ${name} a second time`);
    else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push(`"${entry}": ${JSON.stringify(value) ?? String(value)} is not a number of requests per second (0 or more)`);
    } else overrides.set(name, value);
  }
  if (problems.length > 0) throw new Error(`invalid quota file ${fileName}:\n  ${problems.join('\n  ')}`);
  return overrides;
}

/** A hint for a name that differs from a quota's only in case or spacing. */
function suggestion(entry: string): string {
  const simplified = (name: string) => name.toLowerCase().replace(/\s+/g, '').replace(/requestrate$/, '');
  const near = AWS_REQUEST_QUOTAS.find((quota) => simplified(quota.name) === simplified(entry));
  return near ? ` (did you mean "${near.name}"?)` : ' (quota names are AWS\'s, e.g. "CreateKey request rate"; docs/quotas.md lists them)';
}
