# -*- coding: utf-8 -*-
# Copyright: (c) 2026, huaweicloud.vbs contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The IAM (Keystone v3) calls the collection uses: password tokens and project lookup."""

import hmac

from . import errors
from .messages import BadJson, Response
from .settings import iso_time

WRONG_CREDENTIALS = "The username or password is wrong."


def handle(app, request):
    path = request.path
    if path == "/v3/auth/tokens" and request.method == "POST":
        return issue_token(app, request)
    if path == "/v3/projects" and request.method == "GET":
        return list_projects(app, request)
    raise errors.unknown_api(request.method, request.raw_path)


def _iso(epoch):
    return iso_time(epoch, "Z")


def _object(value, where):
    if not isinstance(value, dict):
        raise errors.iam_error(400, "Invalid input for field '%s': expected an object." % where)
    return value


def _password_user(auth):
    identity = _object(auth.get("identity"), "auth.identity")
    methods = identity.get("methods")
    if not isinstance(methods, list) or "password" not in methods:
        raise errors.iam_error(400, "Only the password method is emulated: auth.identity.methods must hold 'password'.")
    user = _object(_object(identity.get("password"), "auth.identity.password").get("user"), "auth.identity.password.user")
    return user


def _user_domain(user, project):
    domain = user.get("domain")
    if not isinstance(domain, dict):
        return None
    if "name" in domain:
        return domain["name"]
    if domain.get("id") == project["domain_id"]:
        return project["domain"]
    return None


def _scoped_project(auth, project):
    scope = auth.get("scope")
    wanted = scope.get("project") if isinstance(scope, dict) else None
    if not isinstance(wanted, dict) or not ("id" in wanted or "name" in wanted):
        raise errors.iam_error(400, "Only project-scoped tokens are emulated: give auth.scope.project.name or .id.")
    if "id" in wanted:
        if wanted["id"] != project["id"]:
            raise errors.iam_error(401, "The project %s does not exist or is not accessible." % wanted["id"])
    elif wanted["name"] != project["name"]:
        raise errors.iam_error(401, "The project %s does not exist or is not accessible." % wanted["name"])
    return project


def issue_token(app, request):
    """POST /v3/auth/tokens with password auth, scoped to the project by name or ID."""
    try:
        body = _object(request.json(), "body")
    except BadJson as error:
        raise errors.iam_error(400, "The request body is not valid JSON: %s." % error) from None
    auth = _object(body.get("auth"), "auth")
    user = _password_user(auth)
    project = app.store.project
    name = user.get("name")
    password = user.get("password")
    domain = _user_domain(user, project)
    if not all(isinstance(value, str) for value in (name, password, domain)):
        raise errors.iam_error(401, WRONG_CREDENTIALS)
    known = app.store.credentials["users"].get((domain, name))
    if known is None or not hmac.compare_digest(known.encode("utf-8"), password.encode("utf-8")):
        raise errors.iam_error(401, WRONG_CREDENTIALS)
    if domain != project["domain"]:
        raise errors.iam_error(401, "The user %s has no access to the project %s." % (name, project["name"]))
    project = _scoped_project(auth, project)

    issued = app.settings.now()
    expires = issued + app.settings.token_ttl
    token = app.tokens.issue(project["id"], name, expires)
    domain_ref = {"id": project["domain_id"], "name": project["domain"]}
    body = {"token": {
        "expires_at": _iso(expires),
        "issued_at": _iso(issued),
        "methods": ["password"],
        "project": {"id": project["id"], "name": project["name"], "domain": domain_ref},
        "user": {"id": "user-" + name, "name": name, "domain": domain_ref, "password_expires_at": ""},
        "roles": [{"id": "role-te-admin", "name": "te_admin"}],
        "catalog": [
            {"type": "identity", "name": "iam", "id": "catalog-iam", "endpoints": [
                {"interface": "public", "region": project["name"], "region_id": project["name"],
                 "url": request.base_url + "/v3", "id": "endpoint-iam"}]},
            {"type": "vbs", "name": "vbs", "id": "catalog-vbs", "endpoints": [
                {"interface": "public", "region": project["name"], "region_id": project["name"],
                 "url": "%s/v2/%s" % (request.base_url, project["id"]), "id": "endpoint-vbs"}]},
        ],
    }}
    return Response(201, body, {"X-Subject-Token": token})


def list_projects(app, request):
    """GET /v3/projects[?name=...], with a token or an AK/SK signature."""
    app.auth.authenticate(request, errors.IAM)
    project = app.store.project
    name = request.query().get("name")
    projects = []
    if name is None or name == project["name"]:
        projects.append({
            "id": project["id"], "name": project["name"], "domain_id": project["domain_id"],
            "parent_id": project["domain_id"], "enabled": True, "is_domain": False, "description": "",
        })
    return Response(200, {"projects": projects, "links": {"self": request.base_url + request.raw_path,
                                                          "next": None, "previous": None}})
