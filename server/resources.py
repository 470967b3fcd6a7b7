"""Resources: the semantic model itself and a glossary of its metrics."""

from __future__ import annotations

from mcp.server.mcpserver.resources import FunctionResource, Resource

from semantic_layer.spec import Metric, SemanticModel

MODEL_URI = "recsight://model"
GLOSSARY_URI = "recsight://glossary"


def build_resources(model: SemanticModel) -> list[Resource]:
    def semantic_model() -> str:
        import yaml

        data = model.model_dump(mode="json", exclude_defaults=True)
        return yaml.safe_dump(data, sort_keys=False, width=100)

    def glossary() -> str:
        return metric_glossary(model)

    return [
        FunctionResource.from_function(
            semantic_model,
            uri=MODEL_URI,
            name="semantic_model",
            title="Semantic model",
            description="Tables, joins, dimensions, measures and metrics, as YAML.",
            mime_type="application/yaml",
        ),
        FunctionResource.from_function(
            glossary,
            uri=GLOSSARY_URI,
            name="metric_glossary",
            title="Metric glossary",
            description="Every metric: what it means, how it is computed, its unit and synonyms.",
            mime_type="text/markdown",
        ),
    ]


def metric_glossary(model: SemanticModel) -> str:
    lines = [f"# Metrics of the '{model.name}' model", ""]
    for metric in model.metrics.values():
        better = "higher is better" if metric.higher_is_better else "lower is better"
        lines.append(f"## {metric.name}")
        lines.append(f"{metric.description.strip().rstrip('.')} ({metric.unit}, {better}).")
        lines.append(f"Computed as: {_formula(model, metric)}.")
        others = [s for s in metric.synonyms if s != metric.name]
        if others:
            lines.append(f"Also called: {', '.join(others)}.")
        lines.append("")
    return "\n".join(lines)


def _formula(model: SemanticModel, metric: Metric) -> str:
    if metric.type == "ratio":
        return f"{_measure(model, metric.numerator)} / {_measure(model, metric.denominator)}"
    if metric.type == "derived":
        return str(metric.expr)
    return _measure(model, metric.measure)


def _measure(model: SemanticModel, name: str | None) -> str:
    measure = model.measures[name or ""]
    what = measure.expr or "rows"
    text = f"{measure.agg.replace('_', ' ')} of {what} in {measure.table}"
    return text + (f" where {measure.filter}" if measure.filter else "")
