import { TextField } from '@material-ui/core';

/** One filter: a native select whose empty option means "all". */
export const FilterSelect = (props: {
  className: string;
  labelClassName: string;
  label: string;
  testId: string;
  value: string;
  onChange: (value: string) => void;
  all: string;
  options: Array<{ value: string; label: string }>;
}) => (
  <TextField
    select
    className={props.className}
    variant="outlined"
    size="small"
    label={props.label}
    value={props.value}
    onChange={e => props.onChange(e.target.value)}
    SelectProps={{ native: true }}
    // The empty option shows a value: keep the label above it, not on it.
    InputLabelProps={{ shrink: true, className: props.labelClassName }}
    inputProps={{
      'data-testid': props.testId,
      'aria-label': `Filter by ${props.label.toLocaleLowerCase('en-US')}`,
    }}
  >
    <option value="">{props.all}</option>
    {props.options.map(o => (
      <option key={o.value} value={o.value}>
        {o.label}
      </option>
    ))}
  </TextField>
);
