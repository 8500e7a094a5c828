// Desktop notifications with a click action. Each shown notification is kept until
// it is clicked or closed: one that is garbage-collected loses its click handler.
import { Notification } from 'electron';

const showing = new Set<Notification>();

/** showNotification shows a notification when the desktop supports them; onClick runs when it is clicked. */
export function showNotification(title: string, body: string, onClick?: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title, body });
  showing.add(notification);
  notification.on('click', () => {
    showing.delete(notification);
    onClick?.();
  });
  notification.on('close', () => showing.delete(notification));
  notification.show();
}
