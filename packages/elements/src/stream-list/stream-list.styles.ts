import { css } from 'lit';

export const streamListStyles = css`
  :host {
    --onair-list-min-card-width: 240px;
    --onair-list-gap: calc(var(--_s) * 4);
    display: block;
    font: 14px/1.4 var(--_font);
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(var(--onair-list-min-card-width), 1fr));
    gap: var(--onair-list-gap);
  }
  onair-remind-button {
    margin-top: calc(var(--_s) * 2);
  }
  .search {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--_s) * 2);
    align-items: center;
    margin-bottom: var(--onair-list-gap);
  }
  .search input[type='search'] {
    flex: 1 1 12rem;
  }
  .search input,
  .search select {
    font: inherit;
    padding: calc(var(--_s) * 1.2) calc(var(--_s) * 2);
  }
  .empty,
  .error {
    padding: calc(var(--_s) * 4) 0;
    color: var(--_dim);
  }
  .error {
    color: var(--_danger);
  }
  .more {
    margin-top: var(--onair-list-gap);
    text-align: center;
  }
  button {
    font: inherit;
    padding: calc(var(--_s) * 1.6) calc(var(--_s) * 4);
    border-radius: calc(var(--_r) / 2);
    border: 1px solid var(--_field);
    background: var(--_bg);
    cursor: pointer;
  }
`;
