import { Combobox } from '@backstage/ui';
import { KeyboardEvent, useEffect, useState } from 'react';

/**
 * The owner to review: one of the signed-in user's ownership refs, or any entity reference typed
 * and confirmed with Enter.
 */
export function OwnerPicker(props: {
  owner: string | undefined;
  choices: readonly string[];
  onChoose: (owner: string) => void;
}) {
  const { owner, choices, onChoose } = props;
  const [draft, setDraft] = useState(owner ?? '');
  useEffect(() => setDraft(owner ?? ''), [owner]);

  const choose = (value: string | undefined) => {
    const trimmed = value?.trim();
    if (trimmed) {
      onChoose(trimmed);
    }
  };
  const onKeyDown = (e: KeyboardEvent) => {
    // With an option highlighted, Enter picks it (onChange); otherwise it confirms the typed ref.
    const input = e.target as HTMLInputElement;
    if (e.key === 'Enter' && !input.getAttribute('aria-activedescendant')) {
      choose(input.value);
    }
  };

  return (
    <Combobox
      label="Owner"
      description="A group or user entity reference, e.g. group:default/my-team"
      options={choices.map(c => ({ id: c, label: c }))}
      allowsCustomValue
      value={owner && choices.includes(owner) ? owner : null}
      onChange={key => choose(key === null ? undefined : String(key))}
      search={{ inputValue: draft, onInputChange: setDraft }}
      onKeyDown={onKeyDown}
      style={{ minWidth: 360 }}
    />
  );
}
