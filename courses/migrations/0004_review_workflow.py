from django.db import migrations

SENIOR_TRAINERS = "Senior trainers"
WORKFLOW = "Training content review"
TASK = "Senior trainer review"
# Trainers write and submit; only senior trainers may publish without review. Wagtail publishes
# an approved page as the approver and checks their publish permission
# (wagtail.workflows.publish_workflow_state), so auditors, who review but never write, need
# publish_page too; without change_page they cannot open an editor outside a review.
PAGE_PERMISSIONS = {
    "Trainers": ["add_page", "change_page"],
    SENIOR_TRAINERS: ["add_page", "change_page", "publish_page"],
    "Auditors": ["publish_page"],
}
# Wagtail's initial data: what the default groups hold on the root page (restored on reverse).
DEFAULT_GROUP_PAGE_PERMISSIONS = {
    "Moderators": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    "Editors": ["add_page", "change_page"],
}
REVIEWER_GROUPS = [SENIOR_TRAINERS, "Auditors"]
MEDIA_GROUPS = ["Trainers", SENIOR_TRAINERS]
MEDIA_PERMISSIONS = {
    "wagtailimages": ("image", ["add_image", "change_image", "choose_image"]),
    "wagtaildocs": ("document", ["add_document", "change_document", "choose_document"]),
}
PAGE_PERMISSION_NAMES = {
    "add_page": "Can add page",
    "change_page": "Can change page",
    "publish_page": "Publish any page",
    "lock_page": "Lock/unlock pages you've locked",
    "unlock_page": "Unlock any page",
}


def _permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    # Permissions are normally created after migrate (post_migrate); on a fresh database they may
    # not exist yet, so create them the way Django would.
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return permission


def _page_permission(apps, codename):
    return _permission(apps, "wagtailcore", "page", codename, PAGE_PERMISSION_NAMES[codename])


def _media_permissions(apps):
    for app_label, (model, codenames) in MEDIA_PERMISSIONS.items():
        for codename in codenames:
            action = codename.split("_", 1)[0]
            yield _permission(apps, app_label, model, codename, f"Can {action} {model}")


def _home_id(apps):
    return apps.get_model("courses.HomePage").objects.values_list("pk", flat=True).get()


def _root_page_id(apps):
    return apps.get_model("wagtailcore.Page").objects.values_list("pk", flat=True).get(depth=1)


def create_review_workflow(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Collection = apps.get_model("wagtailcore.Collection")
    ContentType = apps.get_model("contenttypes.ContentType")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")

    access_admin = _permission(
        apps, "wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"
    )
    senior, _ = Group.objects.get_or_create(name=SENIOR_TRAINERS)
    senior.permissions.add(access_admin)

    home_id = _home_id(apps)
    # Training content is edited by trainers only: the default groups lose their page rights.
    GroupPagePermission.objects.filter(
        group__name__in=DEFAULT_GROUP_PAGE_PERMISSIONS, page_id=_root_page_id(apps)
    ).delete()
    root_collection = Collection.objects.get(depth=1)
    media_permissions = list(_media_permissions(apps))
    for group_name, codenames in PAGE_PERMISSIONS.items():
        group = Group.objects.get(name=group_name)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=home_id, permission=_page_permission(apps, codename)
            )
    for group in Group.objects.filter(name__in=MEDIA_GROUPS):
        for permission in media_permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, _ = GroupApprovalTask.objects.get_or_create(
        name=TASK, defaults={"content_type": task_type, "active": True}
    )
    task.groups.set(Group.objects.filter(name__in=REVIEWER_GROUPS))
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # Assigned to the training home, the nearest workflow of every track, course and lesson.
    WorkflowPage.objects.update_or_create(page_id=home_id, defaults={"workflow": workflow})


def remove_review_workflow(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore.Workflow")

    # Deleting the workflow also deletes its review history (workflow and task states).
    Workflow.objects.filter(name=WORKFLOW).delete()
    GroupApprovalTask.objects.filter(name=TASK).delete()
    Group.objects.filter(name=SENIOR_TRAINERS).delete()

    GroupPagePermission.objects.filter(
        group__name__in=PAGE_PERMISSIONS, page_id=_home_id(apps)
    ).delete()
    trainers = Group.objects.filter(name="Trainers").first()
    if trainers is not None:
        # wagtailimages 0023 and wagtaildocs 0011 give every admin group the choose permission,
        # both as a model permission and on the root collection; keep what they gave.
        given_by_wagtail = trainers.permissions.filter(
            codename__in=["choose_image", "choose_document"]
        )
        GroupCollectionPermission.objects.filter(
            group=trainers, permission__in=list(_media_permissions(apps)), collection__depth=1
        ).exclude(permission__in=given_by_wagtail).delete()

    root_id = _root_page_id(apps)
    for group in Group.objects.filter(name__in=DEFAULT_GROUP_PAGE_PERMISSIONS):
        for codename in DEFAULT_GROUP_PAGE_PERMISSIONS[group.name]:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=root_id, permission=_page_permission(apps, codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_catalog_and_progress"),
        ("network", "0002_role_groups"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_review_workflow, remove_review_workflow)]
