import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  Alert,
  Button,
  Flex,
  Radio,
  RadioGroup,
  Text,
  TextAreaField,
} from '@backstage/ui';
import { FormEvent, useState } from 'react';
import { AccessRequest, AccessRequestDuration } from '../../api';
import { formatTime } from '../shared/time';
import {
  DURATION_TEXT,
  fieldNamedBy,
  justificationProblem,
  MAX_JUSTIFICATION,
} from './durations';
import { serviceLabel } from './serviceLabel';
import { useRequestAccess } from './useRequestAccess';

/**
 * "Request access" to one service of an app for the signed-in user: a justification (required)
 * and a duration. The backend decides whether permanent access may be asked for; its refusal
 * is shown on the field it names.
 */
export function AccessRequestForm(props: {
  entityRef: CompoundEntityRef;
  service: string;
  onSent?: (request: AccessRequest) => void;
  onCancel?: () => void;
}) {
  const { entityRef, service, onSent, onCancel } = props;
  const { state, send } = useRequestAccess(entityRef);
  const [justification, setJustification] = useState('');
  const [duration, setDuration] = useState<AccessRequestDuration>('P7D');
  const [touched, setTouched] = useState(false);
  const problem = justificationProblem(justification);

  if (state.status === 'sent') {
    return (
      <Alert
        role="status"
        status="success"
        icon
        title="Access requested"
        description={`The owners have been told. Your request for ${
          DURATION_TEXT[state.request.duration]
        } is ${state.request.status}; it lapses undecided at ${formatTime(
          state.request.requestExpiresAt,
        )}.`}
      />
    );
  }

  const serverError = state.status === 'failed' ? state.error : undefined;
  const serverField =
    serverError?.kind === 'invalid-input'
      ? fieldNamedBy(serverError.message)
      : undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (problem) return;
    const created = await send({
      service,
      justification: justification.trim(),
      duration,
    });
    if (created) onSent?.(created);
  };

  const justificationError = touched
    ? problem ??
      (serverField === 'justification' ? serverError?.message : undefined)
    : undefined;

  return (
    <form
      aria-label={`Request access to ${serviceLabel(service)}`}
      onSubmit={submit}
      noValidate
    >
      <Flex direction="column" gap="3">
        <TextAreaField
          label="Justification"
          description={`Why you need access (the owners read it), at most ${MAX_JUSTIFICATION} characters.`}
          isRequired
          value={justification}
          onChange={setJustification}
          isInvalid={!!justificationError}
          validationBehavior="aria"
          rows={3}
        />
        {justificationError && (
          <Text as="p" variant="body-small" color="danger" role="alert">
            {justificationError}
          </Text>
        )}
        <RadioGroup
          label="Duration"
          value={duration}
          onChange={value => setDuration(value as AccessRequestDuration)}
          isInvalid={serverField === 'duration'}
        >
          {(Object.keys(DURATION_TEXT) as AccessRequestDuration[]).map(key => (
            <Radio key={key} value={key}>
              {DURATION_TEXT[key]}
            </Radio>
          ))}
        </RadioGroup>
        {serverField === 'duration' && (
          <Text as="p" variant="body-small" color="danger" role="alert">
            {serverError?.message}
          </Text>
        )}
        {serverError && !serverField && (
          <Alert
            role="alert"
            status="danger"
            icon
            title={
              serverError.statusCode === 409
                ? 'You already asked'
                : 'The request was not sent'
            }
            description={serverError.message}
          />
        )}
        <Flex gap="2">
          <Button type="submit" isPending={state.status === 'sending'}>
            Send request
          </Button>
          {onCancel && (
            <Button variant="secondary" onPress={onCancel}>
              Cancel
            </Button>
          )}
        </Flex>
      </Flex>
    </form>
  );
}
