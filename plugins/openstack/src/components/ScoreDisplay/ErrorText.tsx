import { makeStyles, Theme } from '@material-ui/core/styles';
import Typography, { TypographyProps } from '@material-ui/core/Typography';

/**
 * Red text that can be read: MUI's error red (Typography color="error") is too light on
 * Backstage's white and grey backgrounds (axe: color-contrast). Backstage's palette has a darker
 * one for text, errorText; the dark theme's background wants the light red.
 */
export function errorTextColor(theme: Theme): string {
  if (theme.palette.type === 'dark') {
    return theme.palette.error.light;
  }
  return (
    (theme.palette as { errorText?: string }).errorText ??
    theme.palette.error.dark
  );
}

const useStyles = makeStyles(theme => ({
  text: { color: errorTextColor(theme) },
}));

/** Typography in the readable error red. */
export const ErrorText = (props: Omit<TypographyProps, 'color'>) => {
  const classes = useStyles();
  return (
    <Typography
      {...props}
      className={[classes.text, props.className].filter(Boolean).join(' ')}
    />
  );
};
