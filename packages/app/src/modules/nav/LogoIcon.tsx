import { makeStyles } from '@material-ui/core';
import CloudIcon from '@material-ui/icons/Cloud';

const useStyles = makeStyles({
  root: { color: '#7df3e1', fontSize: 28 },
});

/** The portal's mark in the closed sidebar. */
export const LogoIcon = () => {
  const classes = useStyles();
  return <CloudIcon className={classes.root} titleAccess="fedstack" />;
};
