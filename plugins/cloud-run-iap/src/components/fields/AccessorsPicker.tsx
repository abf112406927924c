import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { Button, Flex, Tag, TagGroup, Text, TextField } from '@backstage/ui';
import { RiErrorWarningLine } from '@remixicon/react';
import { KeyboardEvent, useState } from 'react';
import { validateMember, validateMembers } from './memberValidation';

/**
 * `ui:options` of {@link CloudRunIapAccessorsPicker}.
 *
 * @public
 */
export interface AccessorsPickerUiOptions {
  /** Organisation domains members must belong to (user:, group:, domain:). Empty: any domain. */
  allowedDomains?: string[];
  /**
   * Projects whose service accounts count as the organisation's own even outside
   * `allowedDomains`, as `cloudRunIap.projects` does for the scaffolder actions.
   */
  ownProjectIds?: string[];
  /**
   * Workforce pools whose identities count as the organisation's own, as
   * `cloudRunIap.organization.workforcePools` does for the scaffolder actions.
   */
  workforcePools?: string[];
}

/**
 * Entries of IAM members (users, groups, service accounts, domains, workforce identities) with
 * syntax and organisation-domain checks as you type.
 *
 * @public
 */
export function AccessorsPicker(
  props: FieldExtensionComponentProps<string[], AccessorsPickerUiOptions>,
) {
  const {
    formData,
    onChange,
    uiSchema,
    schema,
    required,
    rawErrors,
    idSchema,
    disabled,
  } = props;
  const members = formData ?? [];
  const allowedDomains = uiSchema?.['ui:options']?.allowedDomains ?? [];
  const ownProjectIds = uiSchema?.['ui:options']?.ownProjectIds ?? [];
  const workforcePools = uiSchema?.['ui:options']?.workforcePools ?? [];
  const [draft, setDraft] = useState('');
  const [touched, setTouched] = useState(false);
  const id = idSchema?.$id ?? 'cloud-run-iap-accessors';

  const draftProblem = draft.trim()
    ? validateMember(draft, allowedDomains, ownProjectIds, workforcePools) ??
      (members.some(m => m.toLowerCase() === draft.trim().toLowerCase())
        ? 'Already in the list'
        : undefined)
    : undefined;
  const listProblems = validateMembers(
    members,
    allowedDomains,
    ownProjectIds,
    workforcePools,
  );

  const add = () => {
    setTouched(true);
    const value = draft.trim();
    if (!value || draftProblem) {
      return;
    }
    onChange([...members, value]);
    setDraft('');
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      add();
    }
  };
  const projectsText = ownProjectIds.length
    ? ` (or be service accounts of ${ownProjectIds.join(', ')})`
    : '';
  const domainsText = allowedDomains.length
    ? ` Members must belong to ${allowedDomains.join(', ')}${projectsText}.`
    : '';
  const instructions = `user:, group:, serviceAccount:, domain:, principal:// or principalSet://; press Enter to add.${domainsText}`;
  const invalid = (m: string) =>
    Boolean(validateMember(m, allowedDomains, ownProjectIds, workforcePools));
  const remove = (keys: Set<unknown>) =>
    onChange(members.filter(m => !keys.has(m)));

  return (
    <fieldset
      id={id}
      aria-invalid={(rawErrors?.length ?? 0) > 0 || listProblems.length > 0}
      style={{ border: 0, margin: 'var(--bui-space-4) 0', padding: 0 }}
    >
      <Text as="legend" variant="body-medium" weight="bold">
        {schema?.title ?? 'Accessors'}
        {required && <span aria-hidden> *</span>}
      </Text>
      {schema?.description && (
        <Text as="p" variant="body-small" color="secondary">
          {schema.description}
        </Text>
      )}
      <Flex align="start" gap="2" mt="2">
        <TextField
          id={`${id}-input`}
          label="Add a member"
          description={instructions}
          placeholder="group:my-team@example.com"
          value={draft}
          isDisabled={disabled}
          onChange={value => {
            setDraft(value);
            setTouched(true);
          }}
          onKeyDown={onKeyDown}
          validationBehavior="aria"
          validate={() => (touched ? draftProblem : undefined)}
          style={{ flexGrow: 1 }}
        />
        <Button
          variant="secondary"
          onPress={add}
          isDisabled={disabled || !draft.trim() || Boolean(draftProblem)}
          style={{ marginTop: 'var(--bui-space-6)' }}
        >
          Add
        </Button>
      </Flex>
      <TagGroup
        aria-label="Members"
        onRemove={disabled ? undefined : remove}
        renderEmptyState={() => (
          <Text variant="body-small" color="secondary">
            No member yet
          </Text>
        )}
      >
        {members.map(m => (
          <Tag
            key={m}
            id={m}
            icon={
              invalid(m) ? (
                <RiErrorWarningLine size={16} aria-label="Breaks the rules" />
              ) : undefined
            }
          >
            {m}
          </Tag>
        ))}
      </TagGroup>
      {listProblems.map(p => (
        <Text key={p} as="p" variant="body-small" color="danger">
          {p}
        </Text>
      ))}
    </fieldset>
  );
}

/**
 * Validation run when the form is submitted: every entry, with the same rules.
 *
 * @public
 */
export function accessorsPickerValidation(
  value: string[] | undefined,
  validation: { addError: (message: string) => void },
  context: { uiSchema?: { 'ui:options'?: object } },
) {
  const options = context.uiSchema?.['ui:options'] as
    | AccessorsPickerUiOptions
    | undefined;
  const allowed = options?.allowedDomains ?? [];
  const ownProjectIds = options?.ownProjectIds ?? [];
  const workforcePools = options?.workforcePools ?? [];
  for (const problem of validateMembers(
    value ?? [],
    allowed,
    ownProjectIds,
    workforcePools,
  )) {
    validation.addError(problem);
  }
}
