namespace Funnel.Core;

/// <summary>
/// Well-known channel tags for <see cref="Stage.Channels"/>. Channels are free text; these constants keep the
/// templates and the users' own definitions consistent.
/// </summary>
public static class Channels
{
    /// <summary>Mass media.</summary>
    public const string Mass = "mass";

    /// <summary>Out-of-home advertising (billboards, transit).</summary>
    public const string OutOfHome = "ooh";

    /// <summary>Television.</summary>
    public const string Tv = "tv";

    /// <summary>Radio.</summary>
    public const string Radio = "radio";

    /// <summary>Print media.</summary>
    public const string Print = "print";

    /// <summary>Digital: web, search, social, e-mail.</summary>
    public const string Digital = "digital";

    /// <summary>Point of sale.</summary>
    public const string PointOfSale = "pos";

    /// <summary>Mobile: apps, SMS, push.</summary>
    public const string Mobile = "mobile";

    /// <summary>Direct response advertising.</summary>
    public const string DirectResponse = "direct-response";

    /// <summary>Direct mail.</summary>
    public const string DirectMail = "direct-mail";

    /// <summary>Word of mouth.</summary>
    public const string WordOfMouth = "word-of-mouth";
}
