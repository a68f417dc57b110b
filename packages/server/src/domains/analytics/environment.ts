import type { DeviceClass } from '@onair/protocol/analytics';

/** What a view session says about where it plays: from the user agent, nothing personal. */
export interface ViewEnvironment {
  device: DeviceClass;
  browser: string;
  os: string;
}

/**
 * The device class, browser and operating system a user agent string names
 * (coarse on purpose: no versions, no models).
 *
 * @example
 * environmentOf('Mozilla/5.0 (X11; Linux x86_64) … Chrome/131.0 Safari/537.36');
 * // { device: 'desktop', browser: 'Chrome', os: 'Linux' }
 */
export function environmentOf(userAgent: string): ViewEnvironment {
  const ua = userAgent;
  const device: DeviceClass = /SmartTV|SMART-TV|\bTV\b|CrKey|AppleTV|Tizen|Web0S/i.test(ua)
    ? 'tv'
    : /iPad|Tablet/i.test(ua) || (/Android/i.test(ua) && !/Mobile/i.test(ua))
      ? 'tablet'
      : /Mobi|iPhone|iPod|Android/i.test(ua)
        ? 'mobile'
        : /Windows|Macintosh|X11|Linux|CrOS/i.test(ua)
          ? 'desktop'
          : 'other';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\/|Opera/.test(ua)
      ? 'Opera'
      : /SamsungBrowser/.test(ua)
        ? 'Samsung Internet'
        : /Firefox\/|FxiOS/.test(ua)
          ? 'Firefox'
          : /Chrome\/|Chromium\/|CriOS/.test(ua)
            ? 'Chrome'
            : /Safari\//.test(ua)
              ? 'Safari'
              : 'other';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad|iPod/.test(ua)
        ? 'iOS'
        : /CrOS/.test(ua)
          ? 'ChromeOS'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'macOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : 'other';
  return { device, browser, os };
}
