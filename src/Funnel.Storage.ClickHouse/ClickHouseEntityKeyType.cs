namespace Funnel.Storage.ClickHouse;

/// <summary>The type of the <c>entity_id</c> column, which also decides how rows are sharded on a cluster.</summary>
public enum ClickHouseEntityKeyType
{
    /// <summary>Any key (<c>String</c>); rows are sharded by <c>cityHash64(entity_id)</c>.</summary>
    Text = 0,

    /// <summary>
    /// Keys that are signed 64-bit integers written in canonical decimal (<c>-5</c>, <c>0</c>, <c>42</c>; not
    /// <c>007</c>, <c>+1</c> or <c> 1</c>, which would read back as another key); stored as <c>Int64</c> and sharded by
    /// <c>intHash64(entity_id)</c>. Another key is refused with a <see cref="Funnel.Core.Storage.FunnelStorageException"/>.
    /// </summary>
    Numeric = 1,
}
