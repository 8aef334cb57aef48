from django.apps import AppConfig


class CurationConfig(AppConfig):
    name = "curation"
    verbose_name = "Curation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from catalog.api.visibility import register_member_entries
        from catalog.importer import history_probes
        from curation import (
            notifications,  # noqa: F401  (connects its receiver)
            regeneration,  # noqa: F401  (connects its receiver)
        )
        from curation.api.visibility import member_entries
        from curation.public import models as public_models  # noqa: F401  (Suggestion)
        from curation.push import models as push_models  # noqa: F401  (ListRepository)
        from curation.push import signals as push_signals  # noqa: F401  (connects its receiver)
        from curation.quality import models as quality_models  # noqa: F401  (QualityRules …)
        from curation.quality import signals as quality_signals  # noqa: F401  (its receiver)
        from curation.sync import workflow_history

        # Members read their lists' pending entries through the catalog API (see there why).
        register_member_entries(member_entries)
        # A replace import refuses lists with reviews, workflow events or scoped members.
        if workflow_history not in history_probes:
            history_probes.append(workflow_history)
