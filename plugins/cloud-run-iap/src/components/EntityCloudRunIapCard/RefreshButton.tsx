import { ButtonIcon, Tooltip, TooltipTrigger } from '@backstage/ui';
import { RiRefreshLine } from '@remixicon/react';

/** Asks the backend to check Google Cloud again; disabled while it does. */
export function RefreshButton(props: {
  refreshing: boolean;
  onRefresh: () => void;
}) {
  return (
    <TooltipTrigger>
      <ButtonIcon
        aria-label="Refresh access report"
        variant="tertiary"
        icon={<RiRefreshLine />}
        isDisabled={props.refreshing}
        onPress={props.onRefresh}
      />
      <Tooltip>Check Google Cloud again</Tooltip>
    </TooltipTrigger>
  );
}
