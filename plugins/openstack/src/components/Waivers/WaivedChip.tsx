import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { ResultWaiver } from '@fedstack/plugin-openstack-common';
import { humanRef } from '../humanRef';

/** On a check that did not pass: waived until when, with why and by whom on hover. */
export const WaivedChip = (props: { waiver: ResultWaiver }) => {
  const { waiver } = props;
  const until = waiver.expiresAt.slice(0, 10);
  return (
    <Tooltip
      title={`${waiver.reason}${
        waiver.decidedBy
          ? ` (approved by ${humanRef(waiver.decidedBy, 'user')})`
          : ''
      }`}
    >
      <Chip size="small" variant="outlined" label={`waived until ${until}`} />
    </Tooltip>
  );
};
