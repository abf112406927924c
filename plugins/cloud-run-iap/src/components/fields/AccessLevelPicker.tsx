import { useApi } from '@backstage/core-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { AccessLevelOption } from '@internal-apps/plugin-cloud-run-iap-common';
import Button from '@material-ui/core/Button';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { classifyCloudRunIapError, cloudRunIapApiRef } from '../../api';

/**
 * `ui:options` of {@link CloudRunIapAccessLevelPicker}.
 *
 * @public
 */
export interface AccessLevelPickerUiOptions {
  /** The form field (dotted path) holding the project id. Default `projectId`. */
  projectField?: string;
  /** A fixed project id, instead of reading it from the form. */
  projectId?: string;
}

type Value = string | string[];

function readPath(data: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        node && typeof node === 'object'
          ? (node as Record<string, unknown>)[key]
          : undefined,
      data,
    );
}

/** The project id the picker lists levels for: a fixed option, or the named form field. */
export function projectFrom(
  options: AccessLevelPickerUiOptions | undefined,
  formData: unknown,
): string | undefined {
  if (options?.projectId) {
    return options.projectId;
  }
  const value = readPath(formData, options?.projectField ?? 'projectId');
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function optionFor(
  name: string,
  levels: AccessLevelOption[],
): AccessLevelOption {
  return (
    levels.find(l => l.name === name || l.shortName === name) ?? {
      name,
      shortName: name.split('/').pop() ?? name,
      kind: 'basic',
      summary: 'not in the list for this project',
    }
  );
}

/**
 * Lists the access levels IAP can use for the project chosen earlier in the form. Returns the
 * full level names: an array when the field's type is `array`, else one string.
 *
 * @public
 */
export function AccessLevelPicker(
  props: FieldExtensionComponentProps<Value, AccessLevelPickerUiOptions>,
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
    formContext,
  } = props;
  const api = useApi(cloudRunIapApiRef);
  const options = uiSchema?.['ui:options'];
  const projectField = options?.projectField ?? 'projectId';
  const projectId = projectFrom(options, formContext?.formData);
  const multiple = schema?.type === 'array';
  const [attempt, setAttempt] = useState(0);
  const levels = useAsync(
    async () => (projectId ? api.getAccessLevels(projectId) : undefined),
    [api, projectId, attempt],
  );
  const available = levels.value?.accessLevels ?? [];
  let selectedNames: string[] = [];
  if (Array.isArray(formData)) {
    selectedNames = formData;
  } else if (formData) {
    selectedNames = [formData];
  }
  const selected = selectedNames.map(n => optionFor(n, available));
  const id = idSchema?.$id ?? 'cloud-run-iap-access-levels';
  const label = schema?.title ?? (multiple ? 'Access levels' : 'Access level');

  let helper: React.ReactNode =
    schema?.description ??
    'Requests must satisfy one of these levels (context-aware access). Leave empty for no restriction.';
  let error = (rawErrors?.length ?? 0) > 0;
  if (!projectId) {
    helper = `Choose a project first (field "${projectField}").`;
  } else if (levels.error) {
    const info = classifyCloudRunIapError(levels.error);
    error = true;
    helper = (
      <>
        Access levels for {projectId} could not be loaded: {info.message}{' '}
        <Button size="small" onClick={() => setAttempt(a => a + 1)}>
          Retry
        </Button>
      </>
    );
  } else if (levels.value && available.length === 0) {
    helper = `The organisation of ${projectId} has no access levels IAP can use.`;
  }

  return (
    <FormControl fullWidth margin="normal" required={required} error={error}>
      <Autocomplete<AccessLevelOption, boolean, false, false>
        id={id}
        multiple={multiple}
        options={available}
        loading={levels.loading}
        disabled={disabled || !projectId}
        value={multiple ? selected : selected[0] ?? null}
        getOptionLabel={o =>
          o.title ? `${o.title} (${o.shortName})` : o.shortName
        }
        getOptionSelected={(o, v) => o.name === v.name}
        onChange={(_e, v) => {
          if (Array.isArray(v)) {
            onChange(v.map(o => o.name));
          } else {
            onChange(v ? v.name : (undefined as unknown as Value));
          }
        }}
        renderOption={o => (
          <div>
            <Typography variant="body2">
              {o.title ?? o.shortName} <code>{o.shortName}</code>
            </Typography>
            <Typography variant="caption" color="textSecondary">
              {o.summary}
            </Typography>
          </div>
        )}
        renderInput={p => (
          <TextField
            {...p}
            label={label}
            required={required}
            error={error}
            inputProps={{ ...p.inputProps, 'aria-describedby': `${id}-helper` }}
          />
        )}
      />
      <FormHelperText id={`${id}-helper`}>{helper}</FormHelperText>
    </FormControl>
  );
}
