import { makeStyles } from '@material-ui/core';
import CloudIcon from '@material-ui/icons/Cloud';

const useStyles = makeStyles({
  root: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: 8,
    color: '#7df3e1',
    fontSize: 26,
    fontWeight: 700,
    letterSpacing: '0.02em',
    whiteSpace: 'nowrap',
  },
});

/** The portal's name in the open sidebar: what the sign-in page and the title call it. */
export const LogoFull = () => {
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <CloudIcon fontSize="inherit" aria-hidden />
      fedstack
    </span>
  );
};
