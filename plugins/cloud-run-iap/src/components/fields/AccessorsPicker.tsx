import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import TextField from '@material-ui/core/TextField';
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
  const helper =
    draftProblem ??
    `user:, group:, serviceAccount:, domain:, principal:// or principalSet://; press Enter to add.${domainsText}`;

  return (
    <FormControl
      fullWidth
      margin="normal"
      required={required}
      error={(rawErrors?.length ?? 0) > 0 || listProblems.length > 0}
      component="fieldset"
    >
      <FormLabel component="legend">{schema?.title ?? 'Accessors'}</FormLabel>
      {schema?.description && (
        <FormHelperText>{schema.description}</FormHelperText>
      )}
      <Box display="flex" alignItems="flex-start" style={{ gap: 8 }} mt={1}>
        <TextField
          id={`${id}-input`}
          label="Add a member"
          placeholder="group:my-team@example.com"
          value={draft}
          disabled={disabled}
          onChange={e => {
            setDraft(e.target.value);
            setTouched(true);
          }}
          onKeyDown={onKeyDown}
          error={touched && Boolean(draftProblem)}
          helperText={helper}
          inputProps={{ 'aria-describedby': `${id}-input-helper-text` }}
          fullWidth
        />
        <Button
          variant="outlined"
          onClick={add}
          disabled={disabled || !draft.trim() || Boolean(draftProblem)}
          style={{ marginTop: 12 }}
        >
          Add
        </Button>
      </Box>
      <Box
        component="ul"
        aria-label="Members"
        display="flex"
        flexWrap="wrap"
        p={0}
        m={0}
        mt={1}
        style={{ gap: 8, listStyle: 'none' }}
      >
        {members.map(m => (
          <li key={m}>
            <Chip
              label={m}
              onDelete={
                disabled
                  ? undefined
                  : () => onChange(members.filter(x => x !== m))
              }
              color={
                validateMember(m, allowedDomains, ownProjectIds, workforcePools)
                  ? 'secondary'
                  : 'default'
              }
            />
          </li>
        ))}
      </Box>
      {listProblems.map(p => (
        <FormHelperText key={p} error>
          {p}
        </FormHelperText>
      ))}
    </FormControl>
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
