import type { JSX } from 'react';

/**
 * The wall's row for the pipeline health strip (`PipelineStrip`, from the health issue). It
 * renders nothing until that strip is placed here; the layout already gives it its row, so
 * adding it moves nothing else.
 */
export function PipelineSlot(): JSX.Element | null {
  return null;
}
