// Environment → Push notification server (/admin_console/environment/push_notification_server).
import { ConfigSection } from './ConfigSection';

export default function Push() {
  return (
    <ConfigSection
      title="Push notification server"
      groups={[
        {
          title: 'Push notifications',
          fields: [
            { key: 'EmailSettings.SendPushNotifications', label: 'Enable push notifications', kind: 'bool' },
            { key: 'EmailSettings.PushNotificationServer', label: 'Push notification server', kind: 'text', help: 'e.g. https://push.mattermost.com or your own push proxy.' },
            {
              key: 'EmailSettings.PushNotificationContents',
              label: 'Push notification contents',
              kind: 'select',
              options: [
                ['generic_no_channel', 'Generic description with only sender name'],
                ['generic', 'Generic description with sender and channel names'],
                ['full', 'Full message contents sent in the notification payload'],
                ['id_loaded', 'Full message contents fetched from the server on receipt'],
              ],
            },
            { key: 'EmailSettings.PushNotificationBuffer', label: 'Push notification buffer', kind: 'number' },
          ],
        },
      ]}
    />
  );
}
