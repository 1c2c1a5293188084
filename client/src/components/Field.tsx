import type { ComponentChildren } from 'preact';

/**
 * A labelled input with its rule under it before anything is typed (`hint`) and the error that
 * concerns it (a client check or the errno message) in its place once there is one.
 */
export function Field(props: {
  id: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'search';
  value: string;
  onInput: (value: string) => void;
  error?: string;
  hint?: string;
  required?: boolean;
  inputMode?: 'numeric' | 'email' | 'text';
  autoComplete?: string;
  placeholder?: string;
  children?: ComponentChildren;
}) {
  const described = props.error ? `${props.id}-error` : props.hint ? `${props.id}-hint` : undefined;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <div class="field-row">
        <input
          id={props.id}
          name={props.id}
          // Preact 11's types tie other attributes to one literal type; any of ours is valid here.
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
          type={(props.type ?? 'text') as 'text'}
          value={props.value}
          required={props.required}
          inputMode={props.inputMode}
          autoComplete={props.autoComplete}
          placeholder={props.placeholder}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={described}
          onInput={(event) => props.onInput((event.target as HTMLInputElement).value)}
        />
        {props.children}
      </div>
      {props.error ? (
        <p class="error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      ) : (
        props.hint && (
          <p class="hint" id={`${props.id}-hint`}>
            {props.hint}
          </p>
        )
      )}
    </div>
  );
}
