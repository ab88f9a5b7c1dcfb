import QRCode from 'qrcode';

export type BadgeQrFormat = 'svg' | 'png';

const options = { errorCorrectionLevel: 'M', margin: 2 } as const;

/**
 * The QR code of a badge URL: an SVG document (crisp when printed) or a PNG `data:` URL (for an `<img>`). Error
 * correction level M survives a creased or smudged badge.
 */
export async function badgeQrCode(url: string, format: BadgeQrFormat = 'svg'): Promise<string> {
  if (format === 'png') return QRCode.toDataURL(url, { ...options, type: 'image/png', width: 240 });
  return QRCode.toString(url, { ...options, type: 'svg' });
}
