<?php
// CometQL interop checklist for PHP mysqli (driven by ExternalClientsTest).
// Usage: php checklist.php <port> <password> <pipe> <userId> [<CA file>: TLS, the server verified against it]
mysqli_report(MYSQLI_REPORT_OFF);
[$self, $port, $password, $pipe, $userId] = $argv;
$ca = $argv[5] ?? null;
$out = [];
if ($ca === null) {
    $link = mysqli_connect("127.0.0.1", "root", $password, "CometQL_v1", (int)$port);
} else {
    $link = mysqli_init();
    mysqli_options($link, MYSQLI_OPT_SSL_VERIFY_SERVER_CERT, true);
    mysqli_ssl_set($link, null, null, $ca, null, null);
    if (!mysqli_real_connect($link, "127.0.0.1", "root", $password, "CometQL_v1", (int)$port, null, MYSQLI_CLIENT_SSL)) {
        $link = false;
    }
}
if (!$link) { echo json_encode(["fatal" => mysqli_connect_error()]); exit(1); }
$out["connected"] = true;

function rows($link, $sql) {
    $r = mysqli_query($link, $sql);
    if ($r === false) { return ["errno" => mysqli_errno($link)]; }
    return mysqli_fetch_all($r);
}
$msg = mysqli_real_escape_string($link, "it's \"mysqli\" \\ ok");
$ok = mysqli_query($link, "INSERT INTO pipes_messages (name, event, message) VALUES ('$pipe', 'evt', '$msg')");
$out["insert_pipes_messages"] = $ok ? ["affected" => mysqli_affected_rows($link)] : ["errno" => mysqli_errno($link)];
// after an OK packet mysqlnd copies the status flags: escaping must stay backslash-style (no NO_BACKSLASH_ESCAPES)
$out["escape_after_ok"] = mysqli_real_escape_string($link, "a'b");
$ok = mysqli_query($link, "INSERT INTO users_auth (id, hash) VALUES ($userId, 'hash$userId')");
$out["insert_users_auth"] = $ok ? ["affected" => mysqli_affected_rows($link), "insert_id" => mysqli_insert_id($link)]
    : ["errno" => mysqli_errno($link)];
$out["users_time"] = rows($link, "SELECT * FROM users_time WHERE id = $userId");
$out["pipes"] = rows($link, "SELECT * FROM pipes WHERE name = '$pipe'");
$out["users_in_pipes"] = rows($link, "SELECT name, user_id FROM users_in_pipes WHERE name = '$pipe'");
$r = mysqli_query($link, "SELECT * FROM no_such_table WHERE id = 1");
$out["invalid"] = $r === false ? ["errno" => mysqli_errno($link), "message" => mysqli_error($link)] : ["unexpected" => true];
$out["quit"] = mysqli_close($link);
echo json_encode($out, JSON_UNESCAPED_UNICODE), "\n";
