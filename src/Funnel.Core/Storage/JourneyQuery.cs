namespace Funnel.Core.Storage;

/// <summary>
/// Which stored journeys to list: filters by funnel, current stage, status and one attribute (such as the owner),
/// combined with AND, ordered by journey id, at most <see cref="Limit"/> rows. Built fluently from <see cref="All"/>.
/// </summary>
/// <remarks>Instances are immutable and thread-safe. Every filter value is sent to the database as a parameter.</remarks>
/// <example><code>var mine = await store.QueryAsync(JourneyQuery.All.ForFunnel("b2b").InStage("proposal").WithAttribute("owner", "ann"));</code></example>
public sealed class JourneyQuery
{
    /// <summary>The default <see cref="Limit"/>: 1000 journeys.</summary>
    public const int DefaultLimit = 1000;

    private JourneyQuery(string? funnelKey, StageKey stage, JourneyStatus? status, string? attributeName, string? attributeValue, int limit, string? afterId)
    {
        FunnelKey = funnelKey;
        Stage = stage;
        Status = status;
        AttributeName = attributeName;
        AttributeValue = attributeValue;
        Limit = limit;
        AfterId = afterId;
    }

    /// <summary>Gets the query without filters (the first <see cref="DefaultLimit"/> journeys by id).</summary>
    public static JourneyQuery All { get; } = new(null, default, null, null, null, DefaultLimit, null);

    /// <summary>Gets the funnel definition key to match, or <see langword="null"/> for any.</summary>
    public string? FunnelKey { get; }

    /// <summary>Gets the current stage to match, or the <see langword="default"/> key for any.</summary>
    public StageKey Stage { get; }

    /// <summary>Gets the status to match, or <see langword="null"/> for any.</summary>
    public JourneyStatus? Status { get; }

    /// <summary>Gets the attribute name to match, or <see langword="null"/> for none.</summary>
    public string? AttributeName { get; }

    /// <summary>Gets the attribute value to match when <see cref="AttributeName"/> is set.</summary>
    public string? AttributeValue { get; }

    /// <summary>Gets the largest number of journeys returned; <see cref="DefaultLimit"/> unless changed.</summary>
    public int Limit { get; }

    /// <summary>Gets the id after which listing starts (ordinal order), for paging; <see langword="null"/> to start at the first.</summary>
    public string? AfterId { get; }

    /// <summary>Restricts the query to one funnel definition.</summary>
    /// <param name="funnelKey">The definition key; not blank.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentException"><paramref name="funnelKey"/> is blank.</exception>
    public JourneyQuery ForFunnel(string funnelKey)
    {
        Guard.Against.NullOrBlank(funnelKey);
        return new(funnelKey, Stage, Status, AttributeName, AttributeValue, Limit, AfterId);
    }

    /// <summary>Restricts the query to journeys whose current stage is <paramref name="stage"/>.</summary>
    /// <param name="stage">The stage key; not the default key.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentException"><paramref name="stage"/> is the default key.</exception>
    public JourneyQuery InStage(StageKey stage)
    {
        Guard.Against.InvalidStageKey(stage);
        return new(FunnelKey, stage, Status, AttributeName, AttributeValue, Limit, AfterId);
    }

    /// <summary>Restricts the query to journeys with a status.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is undefined.</exception>
    public JourneyQuery WithStatus(JourneyStatus status)
    {
        Guard.Against.UndefinedEnum(status, "Unknown journey status.");
        return new(FunnelKey, Stage, status, AttributeName, AttributeValue, Limit, AfterId);
    }

    /// <summary>Restricts the query to journeys whose attribute <paramref name="name"/> equals <paramref name="value"/> (ordinal).</summary>
    /// <param name="name">The attribute name; not blank.</param>
    /// <param name="value">The value; not <see langword="null"/>.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public JourneyQuery WithAttribute(string name, string value)
    {
        Guard.Against.NullOrBlank(name);
        Guard.Against.Null(value);
        return new(FunnelKey, Stage, Status, name, value, Limit, AfterId);
    }

    /// <summary>Restricts the query to journeys owned by someone: the attribute <c>owner</c> equals <paramref name="owner"/>.</summary>
    /// <param name="owner">The owner (manager, team); not <see langword="null"/>.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="owner"/> is <see langword="null"/>.</exception>
    public JourneyQuery OwnedBy(string owner) => WithAttribute(OwnerAttribute, owner);

    /// <summary>The attribute name that <see cref="OwnedBy"/> matches: <c>owner</c>.</summary>
    public const string OwnerAttribute = "owner";

    /// <summary>Sets the largest number of journeys returned.</summary>
    /// <param name="limit">The limit; 1 to 100000.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is out of range.</exception>
    public JourneyQuery Take(int limit)
    {
        Guard.Against.NotBetween(limit, 1, 100_000);
        return new(FunnelKey, Stage, Status, AttributeName, AttributeValue, limit, AfterId);
    }

    /// <summary>Starts listing after a journey id (ordinal), to page through results: pass the last id of the previous page.</summary>
    /// <param name="journeyId">The last id seen; not <see langword="null"/>.</param>
    /// <returns>The new query.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="journeyId"/> is <see langword="null"/>.</exception>
    public JourneyQuery After(string journeyId)
    {
        Guard.Against.Null(journeyId);
        return new(FunnelKey, Stage, Status, AttributeName, AttributeValue, Limit, journeyId);
    }
}
