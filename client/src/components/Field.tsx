import type { ComponentChildren } from 'preact';

/** A labelled input with its error right under it (the errno message that concerns this field). */
export function Field(props: {
  id: string;
  label: string;
  type?: 'text' | 'email' | 'password';
  value: string;
  onInput: (value: string) => void;
  error?: string;
  autoComplete?: string;
  children?: ComponentChildren;
}) {
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
          autoComplete={props.autoComplete}
          aria-invalid={props.error ? 'true' : undefined}
          aria-describedby={props.error ? `${props.id}-error` : undefined}
          onInput={(event) => props.onInput((event.target as HTMLInputElement).value)}
        />
        {props.children}
      </div>
      {props.error && (
        <p class="error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}
