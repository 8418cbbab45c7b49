import { useState } from 'preact/hooks';
import { AUDIT_ATTRIBUTE_CHOICES, NO_FILTER, type AuditAttributeChoice, type AuditFilter } from '../../api/audit-filter';
import { KMS_EVENT_NAMES } from '../../api/iam-kms-actions';
import { Field, inputValue, Select } from '../../ui/forms';

const PAGE_SIZES = ['10', '25', '50'] as const;

/**
 * What the value field says for each attribute. Its label stays "Attribute value": a label naming the attribute
 * ("Event name") would repeat an option of the attribute list, whose label text includes its options.
 */
const VALUE_HINTS: Partial<Record<AuditAttributeChoice, string>> = {
  ResourceName: 'The key: its ARN, its id, or an alias (alias/…).',
  Username: 'The user name: an IAM user, a role session name, or root.',
  EventName: 'The event name: a KMS operation, e.g. Encrypt.',
  AccessKeyId: 'The access key ID that signed the request.',
  EventId: "The event's ID, from its record.",
};

/**
 * The audit page's filters: one lookup attribute and its value (LookupEvents takes one per call), a time range in
 * local time, and the page size. Nothing is asked until "Look up" (or Enter).
 */
export function AuditFilterForm({ onApply }: { onApply: (filter: AuditFilter) => void }) {
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const change = (part: Partial<AuditFilter>) => setFilter((previous) => ({ ...previous, ...part }));
  const chooseAttribute = (attribute: AuditAttributeChoice) => change({ attribute, value: attribute === 'ReadOnly' ? 'true' : '' });
  const submit = (event: Event) => {
    event.preventDefault();
    onApply(filter);
  };
  const clear = () => {
    setFilter(NO_FILTER);
    onApply(NO_FILTER);
  };

  return (
    <form class="audit-filters" role="search" aria-label="Audit filters" onSubmit={submit}>
      <Field label="Lookup attribute">
        <Select name="attribute" value={filter.attribute} options={AUDIT_ATTRIBUTE_CHOICES} onChange={chooseAttribute} />
      </Field>
      {filter.attribute === '' ? null : filter.attribute === 'ReadOnly' ? (
        <Field label="Attribute value">
          <Select name="value" value={filter.value === 'false' ? 'false' : 'true'} onChange={(value) => change({ value })}
            options={[['true', 'Read-only events'], ['false', 'Events that change something']]} />
        </Field>
      ) : (
        <Field label="Attribute value" {...(VALUE_HINTS[filter.attribute] ? { hint: VALUE_HINTS[filter.attribute] } : {})}>
          <input name="value" required spellcheck={false} value={filter.value} onInput={(e) => change({ value: inputValue(e) })}
            {...(filter.attribute === 'EventName' ? { list: 'audit-event-names' } : {})} />
        </Field>
      )}
      <Field label="From" hint="Local time; empty: no start.">
        <input type="datetime-local" name="from" step={1} value={filter.from} onInput={(e) => change({ from: inputValue(e) })} />
      </Field>
      <Field label="To" hint="Local time; empty: up to now.">
        <input type="datetime-local" name="to" step={1} value={filter.to} onInput={(e) => change({ to: inputValue(e) })} />
      </Field>
      <Field label="Events per page">
        <Select name="pageSize" value={String(filter.pageSize) as (typeof PAGE_SIZES)[number]} options={PAGE_SIZES}
          onChange={(size) => change({ pageSize: Number(size) })} />
      </Field>
      <div class="actions filter-actions">
        <button type="submit" class="primary">
          Look up
        </button>
        <button type="button" onClick={clear}>
          Clear filters
        </button>
      </div>
      <datalist id="audit-event-names">
        {KMS_EVENT_NAMES.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
    </form>
  );
}
