// Environment → SMTP (/admin_console/environment/smtp), with Mattermost's "Test connection"
// (`POST /email/test` with the settings as edited, so they can be tried before saving).
import { client } from '../../client';
import { ConfigSection, TestButton } from './ConfigSection';

export default function Smtp() {
  return (
    <ConfigSection
      title="SMTP"
      groups={[
        {
          title: 'Mail server',
          fields: [
            { key: 'EmailSettings.SMTPServer', label: 'SMTP server', kind: 'text' },
            { key: 'EmailSettings.SMTPPort', label: 'SMTP server port', kind: 'text' },
            { key: 'EmailSettings.EnableSMTPAuth', label: 'Enable SMTP authentication', kind: 'bool' },
            { key: 'EmailSettings.SMTPUsername', label: 'SMTP server username', kind: 'text' },
            { key: 'EmailSettings.SMTPPassword', label: 'SMTP server password', kind: 'password' },
            { key: 'EmailSettings.ConnectionSecurity', label: 'Connection security', kind: 'select', options: [['', 'None'], ['TLS', 'TLS'], ['STARTTLS', 'STARTTLS']] },
            { key: 'EmailSettings.SkipServerCertificateVerification', label: 'Skip server certificate verification', kind: 'bool' },
            { key: 'EmailSettings.SMTPServerTimeout', label: 'SMTP server timeout (seconds)', kind: 'number' },
          ],
        },
        {
          title: 'Notification email',
          fields: [
            { key: 'EmailSettings.SendEmailNotifications', label: 'Enable email notifications', kind: 'bool' },
            { key: 'EmailSettings.FeedbackName', label: 'Notification display name', kind: 'text' },
            { key: 'EmailSettings.FeedbackEmail', label: 'Notification from address', kind: 'text' },
            { key: 'EmailSettings.ReplyToAddress', label: 'Notification reply-to address', kind: 'text' },
          ],
        },
      ]}
      actions={(edited) => <TestButton label="Test connection" run={() => client.testEmail(edited as never)} />}
    />
  );
}
