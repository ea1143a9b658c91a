/**
 * The operating system's own notification (and sound), for `hangar.notifications.system` and
 * `.sound`. Builds argv only (never a shell): the adapter runs it with execFile. Plain module.
 */
export interface OsCommand {
  file: string;
  args: string[];
}

export type Platform = 'linux' | 'darwin' | 'win32' | string;

/** Quotes a string for AppleScript / PowerShell literals built into one argv element. */
const appleString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const psString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function systemNotificationCommand(
  platform: Platform, title: string, body: string, sound: boolean,
): OsCommand | undefined {
  const t = title.slice(0, 120);
  const b = body.slice(0, 400);
  switch (platform) {
    case 'linux':
      return {
        file: 'notify-send',
        args: ['--app-name=Hangar', ...(sound ? ['--hint=string:sound-name:message-new-instant'] : []), '--', t, b],
      };
    case 'darwin':
      return {
        file: 'osascript',
        args: ['-e', `display notification ${appleString(b)} with title ${appleString(t)}`
          + (sound ? ' sound name "Glass"' : '')],
      };
    case 'win32':
      // A balloon from the notification area: no extra module needed on stock Windows.
      return {
        file: 'powershell.exe',
        args: ['-NoProfile', '-NonInteractive', '-Command', [
          'Add-Type -AssemblyName System.Windows.Forms',
          '$n = New-Object System.Windows.Forms.NotifyIcon',
          '$n.Icon = [System.Drawing.SystemIcons]::Information',
          '$n.Visible = $true',
          `$n.ShowBalloonTip(5000, ${psString(t)}, ${psString(b)}, 'Info')`,
          ...(sound ? ['[System.Media.SystemSounds]::Asterisk.Play()'] : []),
          'Start-Sleep -Seconds 6',
          '$n.Dispose()',
        ].join('; ')],
      };
    default:
      return undefined;
  }
}

/** A sound alone (in-app notification with `.sound` on, `.system` off). */
export function soundCommand(platform: Platform): OsCommand | undefined {
  switch (platform) {
    case 'linux': return { file: 'canberra-gtk-play', args: ['--id=message-new-instant', '--description=Hangar'] };
    case 'darwin': return { file: 'afplay', args: ['/System/Library/Sounds/Glass.aiff'] };
    case 'win32':
      return {
        file: 'powershell.exe',
        args: ['-NoProfile', '-NonInteractive', '-Command', '[System.Media.SystemSounds]::Asterisk.Play()'],
      };
    default: return undefined;
  }
}
