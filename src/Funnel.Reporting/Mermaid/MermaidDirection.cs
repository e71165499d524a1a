namespace Funnel.Reporting;

/// <summary>The direction a Mermaid flowchart flows in.</summary>
public enum MermaidDirection
{
    /// <summary>Left to right (<c>flowchart LR</c>). The <see langword="default"/>.</summary>
    LeftToRight = 0,

    /// <summary>Top to bottom (<c>flowchart TB</c>).</summary>
    TopToBottom = 1,
}
