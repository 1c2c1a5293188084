import { t } from '../i18n.js';
import { Field } from './Field.js';

/** A new password typed twice, its rule under the first (register, reset, change). */
export function NewPasswordFields(props: {
  ids: [string, string];
  labels: [string, string];
  values: [string, string];
  onInput: [(value: string) => void, (value: string) => void];
  errors: [string | undefined, string | undefined];
}) {
  return (
    <>
      <Field
        id={props.ids[0]}
        label={props.labels[0]}
        type="password"
        value={props.values[0]}
        onInput={props.onInput[0]}
        error={props.errors[0]}
        hint={t.passwordRule}
        autoComplete="new-password"
        required
      />
      <Field
        id={props.ids[1]}
        label={props.labels[1]}
        type="password"
        value={props.values[1]}
        onInput={props.onInput[1]}
        error={props.errors[1]}
        autoComplete="new-password"
        required
      />
    </>
  );
}
