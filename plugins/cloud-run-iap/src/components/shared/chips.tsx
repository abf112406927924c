import { Badge } from '@backstage/ui';
import {
  AccessorKind,
  Severity,
} from '@internal-apps/plugin-cloud-run-iap-common';
import {
  RiAccountBoxLine,
  RiAlertLine,
  RiBuilding2Line,
  RiCheckboxCircleLine,
  RiErrorWarningLine,
  RiGlobalLine,
  RiGroupLine,
  RiInformationLine,
  RiLockLine,
  RiLockUnlockLine,
  RiQuestionLine,
  RiRobot2Line,
  RiSpam2Line,
  RiUserLine,
} from '@remixicon/react';
import { CSSProperties, ReactElement, ReactNode } from 'react';
import { kindText, severityText } from './labelText';

export type Tone = 'good' | 'bad' | 'warn' | 'muted';

const TONE_COLOR: Record<Tone, string> = {
  good: 'var(--bui-fg-positive)',
  bad: 'var(--bui-fg-negative)',
  warn: 'var(--bui-fg-warning)',
  muted: 'var(--bui-fg-secondary)',
};

const ICON_SIZE = 16;

/** An icon next to its text: colour is never the only signal. */
export function IconText(props: {
  icon: ReactElement;
  children: ReactNode;
  tone?: Tone;
  /** Let a long text wrap (short labels stay on one line). */
  wrap?: boolean;
}) {
  return (
    <span
      style={{
        display: 'inline-flex',
        alignItems: 'center',
        gap: 'var(--bui-space-1)',
        whiteSpace: props.wrap ? undefined : 'nowrap',
      }}
    >
      <span
        aria-hidden
        style={{
          display: 'inline-flex',
          color: props.tone ? TONE_COLOR[props.tone] : undefined,
        }}
      >
        {props.icon}
      </span>
      <span>{props.children}</span>
    </span>
  );
}

const KIND_ICON: Record<AccessorKind, ReactElement> = {
  user: <RiUserLine size={ICON_SIZE} />,
  group: <RiGroupLine size={ICON_SIZE} />,
  serviceAccount: <RiRobot2Line size={ICON_SIZE} />,
  domain: <RiBuilding2Line size={ICON_SIZE} />,
  public: <RiGlobalLine size={ICON_SIZE} />,
  workforcePrincipal: <RiAccountBoxLine size={ICON_SIZE} />,
  unknown: <RiQuestionLine size={ICON_SIZE} />,
};

export function KindLabel({ kind }: { kind: AccessorKind }) {
  return (
    <IconText
      icon={KIND_ICON[kind]}
      tone={kind === 'public' ? 'bad' : undefined}
    >
      {kindText(kind)}
    </IconText>
  );
}

export function OrganizationLabel({ value }: { value: boolean | 'unknown' }) {
  if (value === 'unknown') {
    return (
      <IconText icon={<RiQuestionLine size={ICON_SIZE} />} tone="muted">
        Unknown
      </IconText>
    );
  }
  return value ? (
    <IconText icon={<RiCheckboxCircleLine size={ICON_SIZE} />} tone="good">
      Inside
    </IconText>
  ) : (
    <IconText icon={<RiAlertLine size={ICON_SIZE} />} tone="bad">
      Outside
    </IconText>
  );
}

const SEVERITY_ICON: Record<Severity, ReactElement> = {
  critical: <RiSpam2Line size={14} />,
  high: <RiErrorWarningLine size={14} />,
  medium: <RiAlertLine size={14} />,
  low: <RiInformationLine size={14} />,
  info: <RiInformationLine size={14} />,
};

const SEVERITY_STYLE: Record<Severity, CSSProperties> = {
  critical: {
    backgroundColor: 'var(--bui-negative-bg)',
    color: 'var(--bui-negative-fg)',
  },
  high: {
    backgroundColor: 'var(--bui-negative-bg-subdued)',
    color: 'var(--bui-negative-fg-subdued)',
  },
  medium: {
    backgroundColor: 'var(--bui-warning-bg-subdued)',
    color: 'var(--bui-warning-fg-subdued)',
  },
  low: {
    backgroundColor: 'var(--bui-announcement-bg-subdued)',
    color: 'var(--bui-announcement-fg-subdued)',
  },
  info: {},
};

/** The severity of a finding as a small badge: icon, word and colour. */
export function SeverityChip({ severity }: { severity: Severity }) {
  return (
    <Badge
      icon={<span aria-hidden>{SEVERITY_ICON[severity]}</span>}
      style={SEVERITY_STYLE[severity]}
    >
      {severityText(severity)}
    </Badge>
  );
}

export function IapStateLabel({ enabled }: { enabled: boolean }) {
  return enabled ? (
    <IconText icon={<RiLockLine size={ICON_SIZE} />} tone="good">
      IAP on
    </IconText>
  ) : (
    <IconText icon={<RiLockUnlockLine size={ICON_SIZE} />} tone="bad">
      IAP off
    </IconText>
  );
}

export function UnrestrictedLabel() {
  return (
    <IconText icon={<RiLockUnlockLine size={ICON_SIZE} />} tone="warn">
      Unrestricted
    </IconText>
  );
}
