import type { VideoText, Visibility } from '../api.js';
import { t } from '../i18n.js';

export const VISIBILITIES: Visibility[] = ['public', 'unlisted', 'private'];
/** The server's limits (video.rules.ts); maxLength counts UTF-16 units, so it never lets more through. */
export const TITLE_MAX = 80;
export const DESCRIPTION_MAX = 2000;

/** A file's name without its extension, as the server would title it. */
export const titleOf = (filename: string) => [...(filename.replace(/\.[^.]*$/, '').trim() || filename)].slice(0, TITLE_MAX).join('');

/** The fields of `next` that differ from `saved`; a cleared title is left out (the server keeps a title). */
export function changesOf(saved: VideoText, next: VideoText): Partial<VideoText> {
  const change: Partial<VideoText> = {};
  if (next.title.trim() && next.title.trim() !== saved.title) change.title = next.title.trim();
  if (next.description.trim() !== saved.description) change.description = next.description.trim();
  if (next.visibility !== saved.visibility) change.visibility = next.visibility;
  return change;
}

export function VisibilityBadge({ visibility }: { visibility: Visibility }) {
  if (visibility === 'public') return null;
  return (
    <span class={`badge visibility ${visibility}`} data-visibility={visibility}>
      {t.visibilities[visibility]}
    </span>
  );
}

/** Title, description and who may watch: the publish form of an upload and the owner's edit panel. */
export function VideoFields({ id, value, onChange }: { id: string; value: VideoText; onChange: (value: VideoText) => void }) {
  return (
    <div class="video-fields">
      <div class="video-text">
        <div class="field">
          <label for={`${id}-title`}>{t.videoTitle}</label>
          <input
            id={`${id}-title`}
            class="video-title-input"
            type="text"
            maxLength={TITLE_MAX}
            value={value.title}
            aria-describedby={`${id}-title-hint`}
            onInput={(event) => onChange({ ...value, title: (event.target as HTMLInputElement).value })}
          />
          <p class="hint" id={`${id}-title-hint`}>
            {t.titleRule}
          </p>
        </div>
        <div class="field">
          <label for={`${id}-description`}>{t.videoDescription}</label>
          <textarea
            id={`${id}-description`}
            class="video-description-input"
            rows={3}
            maxLength={DESCRIPTION_MAX}
            value={value.description}
            onInput={(event) => onChange({ ...value, description: (event.target as HTMLTextAreaElement).value })}
          />
        </div>
      </div>
      <fieldset class="visibility-choice">
        <legend>{t.visibility}</legend>
        {VISIBILITIES.map((visibility) => (
          <label key={visibility} class={`visibility-option${value.visibility === visibility ? ' chosen' : ''}`}>
            <input
              type="radio"
              name={`${id}-visibility`}
              value={visibility}
              checked={value.visibility === visibility}
              onChange={() => onChange({ ...value, visibility })}
            />
            <span>
              <strong>{t.visibilities[visibility]}</strong>
              <small>{t.visibilityHints[visibility]}</small>
            </span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}
