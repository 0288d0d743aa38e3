/**
 * The demo shop's cities, in Chinese as real data names them. Shared data: the simulator picks
 * orders' cities from it and the font script (src/renderer/scripts/subsetFonts.ts) puts their
 * characters in the bundled font.
 */
export const DEMO_CITIES: readonly string[] = [
  '北京',
  '上海',
  '广州',
  '深圳',
  '杭州',
  '成都',
  '西安',
  '武汉',
  '南京',
  '重庆',
];
