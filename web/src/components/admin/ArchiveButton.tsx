// Archive (after a confirmation) or restore a team or channel, as its table row offers.
export default function ArchiveButton({ archived, name, archive, restore }: {
  archived: boolean;
  name: string;
  archive: () => void;
  restore: () => void;
}) {
  return archived ? (
    <button onClick={restore}>Restore</button>
  ) : (
    <button className="danger" onClick={() => window.confirm(`Archive ${name}?`) && archive()}>Archive</button>
  );
}
