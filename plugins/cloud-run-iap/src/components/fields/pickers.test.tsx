import { renderInTestApp } from '@backstage/frontend-test-utils';
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { cloudRunIapApiRef } from '../../api';
import { mockApi, responseError } from '../../testing/http';
import { AccessLevelPicker, projectFrom } from './AccessLevelPicker';
import { AccessorsPicker, accessorsPickerValidation } from './AccessorsPicker';
import { validateMember, validateMembers } from './memberValidation';

jest.setTimeout(30_000);

const LEVELS = {
  projectId: 'acme-internal-apps',
  accessPolicy: 'accessPolicies/555000000001',
  accessLevels: [
    {
      name: 'accessPolicies/555000000001/accessLevels/corp_network',
      shortName: 'corp_network',
      title: 'Corporate network',
      kind: 'basic' as const,
      summary: 'IP 203.0.113.0/24, 198.51.100.0/24, 2001:db8::/32',
    },
    {
      name: 'accessPolicies/555000000001/accessLevels/uk_only',
      shortName: 'uk_only',
      title: 'United Kingdom',
      kind: 'basic' as const,
      summary: 'regions GB',
    },
  ],
};

/** Hosts a field the way the scaffolder form does: its value, the whole form in formContext. */
function Host(props: {
  field: 'levels' | 'accessors';
  form?: Record<string, unknown>;
  uiOptions?: Record<string, unknown>;
  type?: 'array' | 'string';
  initial?: unknown;
  onValue?: (v: unknown) => void;
}) {
  const [value, setValue] = useState<any>(props.initial);
  const common = {
    formData: value,
    onChange: (v: any) => {
      setValue(v);
      props.onValue?.(v);
    },
    onBlur: jest.fn(),
    onFocus: jest.fn(),
    disabled: false,
    readonly: false,
    required: false,
    name: props.field,
    rawErrors: [],
    idSchema: { $id: `root_${props.field}` },
    formContext: { formData: props.form ?? {} },
    uiSchema: { 'ui:options': props.uiOptions ?? {} },
    registry: {} as any,
  };
  return props.field === 'levels' ? (
    <AccessLevelPicker
      {...(common as any)}
      schema={{ type: props.type ?? 'array', title: 'Access levels' }}
    />
  ) : (
    <AccessorsPicker
      {...(common as any)}
      schema={{ type: 'array', title: 'Who may use the app' }}
    />
  );
}

describe('projectFrom', () => {
  it('reads the default field, a named (dotted) field, or a fixed project', () => {
    expect(projectFrom(undefined, { projectId: 'a-project' })).toBe(
      'a-project',
    );
    expect(
      projectFrom(
        { projectField: 'gcp.project' },
        { gcp: { project: 'b-project' } },
      ),
    ).toBe('b-project');
    expect(projectFrom({ projectId: 'fixed-project' }, {})).toBe(
      'fixed-project',
    );
    expect(projectFrom(undefined, { projectId: '  ' })).toBeUndefined();
  });
});

describe('CloudRunIapAccessLevelPicker', () => {
  it('asks for a project first', async () => {
    const api = mockApi();
    renderInTestApp(<Host field="levels" />, {
      apis: [[cloudRunIapApiRef, api]],
    });
    expect(
      await screen.findByText('Choose a project first (field "projectId").'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Access levels')).toBeDisabled();
    expect(api.getAccessLevels).not.toHaveBeenCalled();
  });

  it('lists the levels of the project named by ui:options.projectField and returns full names', async () => {
    const api = mockApi({ getAccessLevels: jest.fn(async () => LEVELS) });
    const onValue = jest.fn();
    renderInTestApp(
      <Host
        field="levels"
        form={{ gcpProject: 'acme-internal-apps' }}
        uiOptions={{ projectField: 'gcpProject' }}
        onValue={onValue}
      />,
      { apis: [[cloudRunIapApiRef, api]] },
    );
    const input = await screen.findByLabelText('Access levels');
    await waitFor(() => expect(input).not.toBeDisabled());
    expect(api.getAccessLevels).toHaveBeenCalledWith('acme-internal-apps');
    await userEvent.click(input);
    expect(await screen.findByText('regions GB')).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('option', { name: /^United Kingdom \(uk_only\)/ }),
    );
    expect(onValue).toHaveBeenLastCalledWith([
      'accessPolicies/555000000001/accessLevels/uk_only',
    ]);
    expect(input).toHaveTextContent('United Kingdom (uk_only)');
  });

  it('returns one name when the field is a string', async () => {
    const api = mockApi({ getAccessLevels: jest.fn(async () => LEVELS) });
    const onValue = jest.fn();
    renderInTestApp(
      <Host
        field="levels"
        type="string"
        form={{ projectId: 'acme-internal-apps' }}
        onValue={onValue}
      />,
      { apis: [[cloudRunIapApiRef, api]] },
    );
    const input = await screen.findByLabelText('Access levels');
    await waitFor(() => expect(input).not.toBeDisabled());
    await userEvent.type(input, 'corp');
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect(onValue).toHaveBeenLastCalledWith(
      'accessPolicies/555000000001/accessLevels/corp_network',
    );
  });

  it('says when the levels cannot be loaded, with a retry', async () => {
    const getAccessLevels = jest
      .fn()
      .mockImplementationOnce(async () => {
        throw await responseError(
          'InputError',
          400,
          'project unknown-proj is not configured',
        );
      })
      .mockImplementation(async () => LEVELS);
    renderInTestApp(
      <Host field="levels" form={{ projectId: 'unknown-proj' }} />,
      {
        apis: [[cloudRunIapApiRef, mockApi({ getAccessLevels })]],
      },
    );
    expect(
      await screen.findByText(/project unknown-proj is not configured/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(getAccessLevels).toHaveBeenCalledTimes(2));
  });
});

describe('member validation', () => {
  const domains = ['example.com'];
  it.each([
    'user:alice@example.com',
    'group:team@EXAMPLE.com',
    'domain:example.com',
    'principal://iam.googleapis.com/locations/global/workforcePools/staff/subject/alice',
    'principalSet://iam.googleapis.com/locations/global/workforcePools/staff/group/admins',
  ])('accepts %s', member => {
    expect(validateMember(member, domains, [], ['staff'])).toBeUndefined();
  });

  it('refuses workforce identities of pools that are not listed', () => {
    const member =
      'principal://iam.googleapis.com/locations/global/workforcePools/partners/subject/jo';
    expect(validateMember(member, domains, [], ['staff'])).toMatch(
      /is in workforce pool "partners", which is not one of the organisation's pools \(cloudRunIap.organization.workforcePools: staff\)/,
    );
    expect(validateMember(member, domains)).toMatch(/none configured/);
  });

  it.each([
    ['allUsers', /never allowed/],
    ['allAuthenticatedUsers', /never allowed/],
    ['', /^Enter a member/],
    ['  ', /^Enter a member/],
    ['alice@example.com', /must be user:EMAIL/],
    ['user:alice', /must be user:EMAIL/],
    [
      'user:bob@partner-agency.com',
      /"user:bob@partner-agency.com" is outside the organisation's domains \(example.com\)/,
    ],
    ['domain:partner-agency.com', /outside the organisation/],
    ['serviceAccount:someone@example.com', /gserviceaccount.com/],
    ['principal://example.com/x', /principal:\/\/iam.googleapis.com/],
    [
      'principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ci/subject/x',
      /workforcePools\/POOL\/subject/,
    ],
    ['deleted:user:old@example.com?uid=1', /deleted principal/],
  ])('refuses %s', (member, message) => {
    expect(validateMember(member, domains)).toMatch(message);
  });

  it('accepts any domain when no organisation domain is given', () => {
    expect(validateMember('user:bob@partner-agency.com')).toBeUndefined();
    expect(validateMember(' allUsers ')).toMatch(/never allowed/);
  });

  it('accepts service accounts of the own projects outside the domains', () => {
    const sa = 'serviceAccount:app@acme-internal-apps.iam.gserviceaccount.com';
    expect(validateMember(sa, domains, ['acme-internal-apps'])).toBeUndefined();
    expect(validateMember(sa, domains)).toMatch(/outside the organisation/);
    expect(validateMember(sa)).toBeUndefined();
    const addError = jest.fn();
    accessorsPickerValidation(
      [sa],
      { addError },
      {
        uiSchema: {
          'ui:options': {
            allowedDomains: domains,
            ownProjectIds: ['acme-internal-apps'],
          },
        },
      },
    );
    expect(addError).not.toHaveBeenCalled();
  });

  it('finds duplicates in a list', () => {
    expect(
      validateMembers(['user:a@example.com', 'user:A@example.com'], domains),
    ).toEqual(['user:A@example.com: listed twice']);
  });

  it('reports every bad entry on submit', () => {
    const addError = jest.fn();
    accessorsPickerValidation(
      ['user:a@example.com', 'allUsers'],
      { addError },
      { uiSchema: { 'ui:options': { allowedDomains: domains } } },
    );
    expect(addError).toHaveBeenCalledTimes(1);
    expect(addError.mock.calls[0][0]).toMatch(
      /^allUsers: allUsers is never allowed/,
    );
  });
});

describe('CloudRunIapAccessorsPicker', () => {
  function renderPicker(onValue = jest.fn(), initial?: string[]) {
    renderInTestApp(
      <Host
        field="accessors"
        uiOptions={{ allowedDomains: ['example.com'] }}
        onValue={onValue}
        initial={initial}
      />,
    );
    return onValue;
  }

  it('validates as you type and adds valid members with Enter', async () => {
    const onValue = renderPicker();
    const input = await screen.findByLabelText('Add a member');
    await userEvent.type(input, 'user:bob@partner');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText(/must be user:EMAIL/)).toBeInTheDocument();
    await userEvent.type(input, '-agency.com');
    expect(
      screen.getByText(
        /"user:bob@partner-agency.com" is outside the organisation's domains \(example.com\)/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add' })).toBeDisabled();
    await userEvent.keyboard('{Enter}');
    expect(onValue).not.toHaveBeenCalled();

    await userEvent.clear(input);
    await userEvent.type(input, 'group:internal-apps-team@example.com{Enter}');
    expect(onValue).toHaveBeenLastCalledWith([
      'group:internal-apps-team@example.com',
    ]);
    expect(input).toHaveValue('');
    expect(screen.getByRole('grid', { name: 'Members' })).toHaveTextContent(
      'group:internal-apps-team@example.com',
    );
  });

  it('refuses allUsers and duplicates', async () => {
    const onValue = renderPicker(jest.fn(), ['user:ada@example.com']);
    const input = await screen.findByLabelText('Add a member');
    await userEvent.type(input, 'allUsers');
    expect(screen.getByText(/allUsers is never allowed/)).toBeInTheDocument();
    await userEvent.clear(input);
    await userEvent.type(input, 'user:ADA@example.com{Enter}');
    expect(screen.getByText('Already in the list')).toBeInTheDocument();
    expect(onValue).not.toHaveBeenCalled();
  });

  it('removes a member with the keyboard', async () => {
    const onValue = renderPicker(jest.fn(), [
      'user:ada@example.com',
      'group:sre@example.com',
    ]);
    const chip = (await screen.findByText('user:ada@example.com')).closest(
      '[role="row"]',
    ) as HTMLElement;
    act(() => chip.focus());
    await userEvent.keyboard('{Backspace}');
    expect(onValue).toHaveBeenLastCalledWith(['group:sre@example.com']);
  });

  it('flags pre-filled entries that break the rules', async () => {
    renderPicker(jest.fn(), ['user:bob@partner-agency.com']);
    expect(
      await screen.findByText(
        /user:bob@partner-agency.com: "user:bob@partner-agency.com" is outside the organisation/,
      ),
    ).toBeInTheDocument();
  });
});
