import {
  Button,
  Checkbox,
  Flex,
  Switch,
  Tag,
  TagGroup,
  Text,
  TextField,
} from '@backstage/ui';
import { AccessLevelOption } from '@internal-apps/plugin-cloud-run-iap-common';
import { FormEvent, useState } from 'react';
import { AccessChange } from '../../api';
import { validateMember } from '../fields/memberValidation';
import { formatTime } from '../shared/time';
import { AccessorControl } from './managedAccessors';

/**
 * What to change on one service: members to add (the actions' member rules, checked as you
 * type), managed members to remove, and the managed grant's access levels. Grants the portal
 * does not manage are listed with where to change them. Submitting asks for a preview.
 */
export function AccessChangeForm(props: {
  service: string;
  controls: AccessorControl[];
  currentLevels: string[];
  levelOptions?: AccessLevelOption[];
  levelOptionsError?: string;
  busy: boolean;
  onPreview: (change: AccessChange) => void;
}) {
  const {
    service,
    controls,
    currentLevels,
    levelOptions,
    levelOptionsError,
    busy,
    onPreview,
  } = props;
  const [draft, setDraft] = useState('');
  const [draftError, setDraftError] = useState<string>();
  const [add, setAdd] = useState<string[]>([]);
  const [remove, setRemove] = useState<string[]>([]);
  const [changeLevels, setChangeLevels] = useState(false);
  const [levels, setLevels] = useState<string[]>(currentLevels);
  const [formError, setFormError] = useState<string>();

  const addDraft = () => {
    const member = draft.trim();
    const problem =
      validateMember(member) ??
      (add.some(m => m.toLowerCase() === member.toLowerCase())
        ? 'Already in this change'
        : undefined);
    setDraftError(problem);
    if (problem) return;
    setAdd([...add, member]);
    setDraft('');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (add.length === 0 && remove.length === 0 && !changeLevels) {
      setFormError('Add or remove a member, or change the access levels');
      return;
    }
    setFormError(undefined);
    onPreview({
      service,
      ...(add.length ? { add } : {}),
      ...(remove.length ? { remove } : {}),
      ...(changeLevels ? { accessLevels: levels } : {}),
    });
  };

  const removable = controls.filter(c => c.removable);
  const unmanaged = controls.filter(c => c.unmanaged.length > 0);

  return (
    <form onSubmit={submit} aria-label="Change access" noValidate>
      <Flex direction="column" gap="3">
        <Flex gap="2" align="end">
          <TextField
            label="Member to add"
            description="user:, group:, serviceAccount:, domain:, principal:// or principalSet://"
            placeholder="user:alice@example.com"
            value={draft}
            onChange={value => {
              setDraft(value);
              setDraftError(undefined);
            }}
            onKeyDown={event => {
              if (event.key === 'Enter') {
                event.preventDefault();
                addDraft();
              }
            }}
            isInvalid={!!draftError}
          />
          <Button variant="secondary" onPress={addDraft}>
            Add member
          </Button>
        </Flex>
        {draftError && (
          <Text as="p" variant="body-small" color="danger" role="alert">
            {draftError}
          </Text>
        )}
        {add.length > 0 && (
          <TagGroup
            aria-label="Members to add"
            onRemove={keys => setAdd(add.filter(m => !keys.has(m)))}
          >
            {add.map(member => (
              <Tag key={member} id={member}>
                {member}
              </Tag>
            ))}
          </TagGroup>
        )}

        <Flex
          direction="column"
          gap="1"
          aria-label="Members the portal manages"
        >
          <Text as="h5" variant="body-medium" weight="bold">
            Remove members the portal manages
          </Text>
          {removable.length === 0 && (
            <Text variant="body-medium">
              No member is in the grant the portal manages.
            </Text>
          )}
          {removable.map(control => (
            <Checkbox
              key={control.member}
              isSelected={remove.includes(control.member)}
              onChange={selected =>
                setRemove(
                  selected
                    ? [...remove, control.member]
                    : remove.filter(m => m !== control.member),
                )
              }
            >
              {`Remove ${control.member}`}
              {control.expiresAt.length > 0
                ? ` (also holds temporary access until ${control.expiresAt
                    .map(formatTime)
                    .join(', ')})`
                : ''}
            </Checkbox>
          ))}
        </Flex>

        {unmanaged.length > 0 && (
          <Flex direction="column" gap="1">
            <Text as="h5" variant="body-medium" weight="bold">
              Grants the portal does not change
            </Text>
            <ul aria-label="Grants the portal does not change">
              {unmanaged.flatMap(control =>
                control.unmanaged.map(u => (
                  <li key={`${control.member}:${u.grant}`}>
                    <Text variant="body-small">
                      {control.member}: {u.grant}. {u.howToChange}
                    </Text>
                  </li>
                )),
              )}
            </ul>
          </Flex>
        )}

        <Flex direction="column" gap="1">
          <Switch
            label="Change the access levels"
            isSelected={changeLevels}
            onChange={setChangeLevels}
          />
          <Text variant="body-small" color="secondary">
            Now: {currentLevels.join(', ') || 'no access level (unrestricted)'}.
            With none selected, the levels are cleared.
          </Text>
          {changeLevels && levelOptionsError && (
            <Text variant="body-small" color="danger" role="alert">
              The access levels could not be listed: {levelOptionsError}
            </Text>
          )}
          {changeLevels &&
            (levelOptions ?? []).map(option => (
              <Checkbox
                key={option.name}
                isSelected={levels.includes(option.name)}
                onChange={selected =>
                  setLevels(
                    selected
                      ? [...levels, option.name]
                      : levels.filter(l => l !== option.name),
                  )
                }
              >
                {`${option.title ?? option.shortName} (${option.summary})`}
              </Checkbox>
            ))}
        </Flex>

        {formError && (
          <Text as="p" variant="body-small" color="danger" role="alert">
            {formError}
          </Text>
        )}
        <Flex>
          <Button type="submit" isPending={busy}>
            Preview change
          </Button>
        </Flex>
      </Flex>
    </form>
  );
}
