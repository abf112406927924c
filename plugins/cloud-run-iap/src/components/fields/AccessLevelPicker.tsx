import { useApi } from '@backstage/core-plugin-api';
import { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { AccessLevelOption } from '@internal-apps/plugin-cloud-run-iap-common';
import { Box, Button, Flex, Select, Text } from '@backstage/ui';
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

/** `Corporate network (corp_network)`, or the short name alone when the level has no title. */
function optionLabel(o: AccessLevelOption): string {
  return o.title ? `${o.title} (${o.shortName})` : o.shortName;
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
  const uiOptions = uiSchema?.['ui:options'];
  const projectField = uiOptions?.projectField ?? 'projectId';
  const projectId = projectFrom(uiOptions, formContext?.formData);
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

  let description =
    schema?.description ??
    'Requests must satisfy one of these levels (context-aware access). Leave empty for no restriction.';
  let problem: React.ReactNode;
  if (!projectId) {
    description = `Choose a project first (field "${projectField}").`;
  } else if (levels.error) {
    const info = classifyCloudRunIapError(levels.error);
    problem = (
      <Flex align="center" gap="2">
        <Text variant="body-small" color="danger">
          Access levels for {projectId} could not be loaded: {info.message}
        </Text>
        <Button
          size="small"
          variant="secondary"
          onPress={() => setAttempt(a => a + 1)}
        >
          Retry
        </Button>
      </Flex>
    );
  } else if (levels.value && available.length === 0) {
    description = `The organisation of ${projectId} has no access levels IAP can use.`;
  }

  const levelOptions = [
    ...available,
    ...selected.filter(s => !available.includes(s)),
  ].map(o => ({
    id: o.name,
    label: optionLabel(o),
    description: o.summary,
  }));
  const isInvalid = (rawErrors?.length ?? 0) > 0 || Boolean(levels.error);
  const common = {
    id,
    label,
    description,
    isRequired: required,
    isInvalid,
    isDisabled: disabled || !projectId,
    options: levelOptions,
    search: { placeholder: 'Search access levels' },
    loading: levels.loading ? { state: 'loading' as const } : undefined,
    placeholder: levels.loading ? 'Loading access levels…' : 'None',
  };

  return (
    <Box my="4">
      {multiple ? (
        <Select
          {...common}
          selectionMode="multiple"
          value={selected.map(o => o.name)}
          onChange={keys => onChange(keys.map(String))}
        />
      ) : (
        <Select
          {...common}
          selectionMode="single"
          value={selected[0]?.name ?? null}
          onChange={key =>
            onChange(
              key === null ? (undefined as unknown as Value) : String(key),
            )
          }
        />
      )}
      {problem}
    </Box>
  );
}
