<?php
// PHP PDO with emulated prepares (the default) against CometQL (driven by ExternalClientsTest).
// Usage: php pdo.php <port> <password> <pipe>
[$self, $port, $password, $pipe] = $argv;
$out = [];
$pdo = new PDO("mysql:host=127.0.0.1;port=$port;dbname=CometQL_v1", "root", $password);
$pdo->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
$st = $pdo->prepare("INSERT INTO pipes_messages (name, event, message) VALUES (?, ?, ?)");
$st->execute([$pipe, "evt", "it's \"pdo\""]);
$out["insert_pipes_messages"] = $st->rowCount();
$out["pipes"] = $pdo->query("SELECT * FROM pipes WHERE name = " . $pdo->quote($pipe))->fetchAll(PDO::FETCH_NUM);
try {
    $pdo->query("SELECT * FROM no_such_table WHERE id = 1");
    $out["invalid"] = "unexpected";
} catch (PDOException $e) {
    $out["invalid"] = $e->errorInfo[1];
}
echo json_encode($out), "\n";
