// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the inputs are source text holding template expressions
import { describe, expect, it } from 'vitest';
import { minifyTemplates } from './minify-templates.js';

describe('minifyTemplates', () => {
  it('collapses layout whitespace in html and svg templates to one space, and squeezes css', () => {
    const source = [
      'const a = html`',
      '  <div class="x">',
      '    <span>${label}</span>',
      '  </div>',
      '`;',
      'const b = css`',
      '  :host {',
      '    display: block;',
      '  }',
      '`;',
      'const c = svg`<g>\n  <path d="M0 0"></path>\n</g>`;',
    ].join('\n');
    expect(minifyTemplates(source)).toBe(
      [
        'const a = html` <div class="x"> <span>${label}</span> </div> `;',
        'const b = css` :host{display:block}`;',
        'const c = svg`<g> <path d="M0 0"></path> </g>`;',
      ].join('\n'),
    );
  });

  it('leaves code, strings, comments, untagged templates and expressions as written', () => {
    const source = [
      "const s = 'a\\n  b'; // html`x  y`",
      'const t = `line\n    two`;',
      '/* css`\n  y` */',
      "const u = html`<p>${items.map((i) => `${i}\n  `).join('\\n')}\n  </p>`;",
      'const v = html`<ul>${list.map((i) => html`\n    <li>${i}</li>`)}</ul>`;',
      'const w = html`<a title="it\'s">\\`\n  ok</a>`;',
    ].join('\n');
    expect(minifyTemplates(source)).toBe(
      [
        "const s = 'a\\n  b'; // html`x  y`",
        'const t = `line\n    two`;',
        '/* css`\n  y` */',
        "const u = html`<p>${items.map((i) => `${i}\n  `).join('\\n')} </p>`;",
        'const v = html`<ul>${list.map((i) => html` <li>${i}</li>`)}</ul>`;',
        'const w = html`<a title="it\'s">\\` ok</a>`;',
      ].join('\n'),
    );
  });

  it('keeps whitespace on one line (spaces between words and inline elements)', () => {
    expect(minifyTemplates('html`<b>a</b>  <i>b</i>`')).toBe('html`<b>a</b>  <i>b</i>`');
  });

  it('squeezes stylesheets: comments, spaces around punctuation, last semicolons; strings kept', () => {
    const source = [
      'css`',
      '  /* a note */',
      '  .a :hover, .b > .c {',
      "    content: 'x , y ;  z';",
      '    margin: 0 auto;',
      '    width: calc(100% - 2px);',
      '  }',
      '  @media (max-width: 600px) {',
      '    .a { color: ${colour}; }',
      '  }',
      '`',
    ].join('\n');
    expect(minifyTemplates(source)).toBe(
      "css` .a :hover,.b>.c{content:'x , y ;  z';margin:0 auto;width:calc(100% - 2px)}@media (max-width:600px){.a{color:${colour}}}`",
    );
  });

  it('drops comments holding quotes, and keeps comment marks in strings', () => {
    const source = [
      'css`',
      '  /* A notice ("Skipped ahead"); it\'s empty. */',
      '  .a {',
      "    content: '/* x */';",
      '  }',
      '`',
    ].join('\n');
    expect(minifyTemplates(source)).toBe("css` .a{content:'/* x */'}`");
  });
});
