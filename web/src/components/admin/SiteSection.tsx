// Site Configuration: the site's name, address and description, and the announcement banner
// (/admin_console/site_config/customization, …/announcement_banner).
import { ConfigSection } from './ConfigSection';

export function Customization() {
  return (
    <ConfigSection
      title="Customization"
      groups={[
        {
          title: 'Site',
          fields: [
            { key: 'TeamSettings.SiteName', label: 'Site name', kind: 'text', help: 'Shown on the login page and in the browser title (at most 30 characters).' },
            { key: 'TeamSettings.CustomDescriptionText', label: 'Site description', kind: 'text' },
            { key: 'ServiceSettings.SiteURL', label: 'Site URL', kind: 'text', help: 'The address people use to reach the server, e.g. https://chat.example.com.' },
            { key: 'TeamSettings.MaxUsersPerTeam', label: 'Max users per team', kind: 'number' },
            { key: 'TeamSettings.MaxChannelsPerTeam', label: 'Max channels per team', kind: 'number' },
            { key: 'SupportSettings.HelpLink', label: 'Help link', kind: 'text' },
            { key: 'SupportSettings.SupportEmail', label: 'Support email', kind: 'text' },
          ],
        },
      ]}
    />
  );
}

export function AnnouncementBannerSettings() {
  return (
    <ConfigSection
      title="Announcement banner"
      groups={[
        {
          title: 'Banner',
          fields: [
            { key: 'AnnouncementSettings.EnableBanner', label: 'Enable announcement banner', kind: 'bool' },
            { key: 'AnnouncementSettings.BannerText', label: 'Banner text', kind: 'text' },
            { key: 'AnnouncementSettings.BannerColor', label: 'Banner color', kind: 'text', help: 'A CSS colour, e.g. #f2a93b.' },
            { key: 'AnnouncementSettings.BannerTextColor', label: 'Banner text color', kind: 'text' },
            { key: 'AnnouncementSettings.AllowBannerDismissal', label: 'Allow banner dismissal', kind: 'bool' },
          ],
        },
      ]}
    />
  );
}
