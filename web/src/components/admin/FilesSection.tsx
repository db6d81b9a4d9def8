// Environment → File storage (/admin_console/environment/file_storage): local directory or
// Amazon S3 (and S3-compatible servers), with "Test connection" (`POST /file/s3_test`).
import { client } from '../../client';
import { ConfigSection, TestButton } from './ConfigSection';
import { getAt } from './configForm';

export default function FileStorage() {
  return (
    <ConfigSection
      title="File storage"
      groups={[
        {
          title: 'Storage',
          fields: [
            { key: 'FileSettings.DriverName', label: 'File storage system', kind: 'select', options: [['local', 'Local file system'], ['amazons3', 'Amazon S3']] },
            { key: 'FileSettings.Directory', label: 'Local storage directory', kind: 'text' },
            { key: 'FileSettings.MaxFileSize', label: 'Maximum file size (bytes)', kind: 'number' },
            { key: 'FileSettings.EnableFileAttachments', label: 'Allow file sharing', kind: 'bool' },
            { key: 'FileSettings.EnablePublicLink', label: 'Enable public file links', kind: 'bool' },
          ],
        },
        {
          title: 'Amazon S3',
          fields: [
            { key: 'FileSettings.AmazonS3Bucket', label: 'Amazon S3 bucket', kind: 'text' },
            { key: 'FileSettings.AmazonS3PathPrefix', label: 'Amazon S3 path prefix', kind: 'text' },
            { key: 'FileSettings.AmazonS3Region', label: 'Amazon S3 region', kind: 'text' },
            { key: 'FileSettings.AmazonS3AccessKeyId', label: 'Amazon S3 access key ID', kind: 'text' },
            { key: 'FileSettings.AmazonS3SecretAccessKey', label: 'Amazon S3 secret access key', kind: 'password' },
            { key: 'FileSettings.AmazonS3Endpoint', label: 'Amazon S3 endpoint', kind: 'text' },
            { key: 'FileSettings.AmazonS3SSL', label: 'Enable secure Amazon S3 connections', kind: 'bool' },
            { key: 'FileSettings.AmazonS3SignV2', label: 'Enable Signature V2', kind: 'bool' },
            { key: 'FileSettings.AmazonS3SSE', label: 'Enable server-side encryption', kind: 'bool' },
          ],
        },
      ]}
      actions={(edited) =>
        getAt(edited, 'FileSettings.DriverName') === 'amazons3' ? (
          <TestButton label="Test connection" run={() => client.testS3Connection(edited as never)} />
        ) : null
      }
    />
  );
}
