/** The page's stylesheet. */
export const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #1d232a; background: #fafbfc; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 8px; }
.index { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0; }
.index-link { font-size: 12px; padding: 2px 8px; border-radius: 10px; background: #e9ecef; color: inherit;
  text-decoration: none; }
.index-link.result-ok { background: #d3f9d8; }
.index-link.result-illegal { background: #ffe3e3; }
.index-link.result-unknown { background: #fff3bf; }
.partition { background: #fff; border: 1px solid #d8dde3; border-left: 6px solid #8a96a3; border-radius: 4px;
  padding: 10px 12px; margin: 14px 0; }
.partition.result-ok { border-left-color: #2f9e44; }
.partition.result-illegal { border-left-color: #e03131; }
.partition.result-unknown { border-left-color: #f08c00; }
.badge { font-size: 12px; padding: 1px 6px; border-radius: 8px; background: #e9ecef; }
.result-ok .badge { background: #d3f9d8; }
.result-illegal .badge { background: #ffe3e3; }
.result-unknown .badge { background: #fff3bf; }
.count { font-weight: normal; color: #68737d; font-size: 12px; }
.scroller { overflow-x: auto; border: 1px solid #eef0f2; }
.timeline { position: relative; }
.lane-label { position: absolute; left: 0; width: 90px; height: 30px; line-height: 30px; font-size: 12px;
  color: #68737d; white-space: nowrap; overflow: hidden; }
.op { position: absolute; height: 22px; line-height: 22px; font: 11px ui-monospace, monospace;
  background: #e7f0fb; border: 1px solid #9bb8dc; border-radius: 3px; padding: 0 3px; box-sizing: border-box;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; cursor: pointer; }
.op.in-linearization { background: #d3f9d8; border-color: #2f9e44; }
.op.in-linearization::before { content: attr(data-step) " "; font-weight: bold; }
.op.unlinearized { background: #ffe3e3; border-color: #e03131; }
.op.hover { outline: 2px solid #1c7ed6; }
.details { margin-top: 8px; }
.steps { font: 12px ui-monospace, monospace; max-height: 320px; overflow-y: auto; margin: 4px 0; }
.step-state { color: #68737d; }
.note { color: #68737d; font-size: 12px; }
`;
