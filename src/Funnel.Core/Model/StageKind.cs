namespace Funnel.Core;

/// <summary>What a stage is for in the pipeline.</summary>
public enum StageKind
{
    /// <summary>An ordinary stage of the funnel. The <see langword="default"/>.</summary>
    Standard = 0,

    /// <summary>A key stage where money is made, such as "Invoice issued" or "Deciding"; skipping it is usually forbidden.</summary>
    Key = 1,

    /// <summary>
    /// A technical stage that exists for automation and navigation, such as "Proposal sent", which moves to
    /// "Proposal read" by itself when the e-mail is opened.
    /// </summary>
    Technical = 2,
}
