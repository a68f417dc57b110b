import { describe, expect, it } from 'vitest';

/**
 * The reactions, chat and stories show emoji: the test browser must draw them
 * in colour (a colour emoji font installed, `fonts-noto-color-emoji` in
 * .ci/run), or every screenshot and reaction holds empty boxes.
 */
describe('the test browser', () => {
  it('draws emoji in colour, not as empty boxes', () => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 64;
    const context = canvas.getContext('2d') as CanvasRenderingContext2D;
    context.font = '48px sans-serif';
    context.textBaseline = 'top';
    context.fillStyle = '#000';
    context.fillText('🎉', 4, 4);
    const { data } = context.getImageData(0, 0, 64, 64);
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) {
      const rgb = [data[i] ?? 0, data[i + 1] ?? 0, data[i + 2] ?? 0];
      // A missing glyph is drawn in the fill colour (black); an emoji glyph has its own colours.
      if ((data[i + 3] ?? 0) > 0 && Math.max(...rgb) - Math.min(...rgb) > 60) coloured++;
    }
    expect(coloured).toBeGreaterThan(200);
  });
});
