@echo off
rem fnp : vérifier des dossiers reçus sans ouvrir d'invite de commandes.
rem Glisser un dossier (ou un ou plusieurs classeurs) sur ce fichier : fnp vérifie tout ce
rem qui a été déposé, écrit à côté le rapport (rapport.html, synthese.csv, synthese.json,
rem constats.csv) et les copies annotées, puis ouvre rapport.html.
rem
rem Ce script ne lit aucun des chemins déposés. L'Explorateur ne met entre guillemets qu'un
rem chemin qui contient une espace : un nom de dossier avec un caractère que cmd interprète
rem serait coupé, ou exécuté. Le script transmet donc à fnp.exe la ligne de commande de cmd
rem telle quelle (lue par l'expansion retardée, après l'analyse de cmd), et son propre
rem chemin ; fnp.exe y retrouve les chemins déposés (fnp drop, docs/windows.md). Le script
rem finit par exit, pour que cmd n'exécute jamais la suite de sa ligne de commande.
rem FNP_SANS_OUVRIR=1 n'ouvre pas le rapport, FNP_SANS_PAUSE=1 n'attend pas (essais).
rem scripts/release.sh l'écrit dans le jeu de caractères de la console (CP850, fins de ligne
rem CRLF) : cmd lit ainsi les accents de ces remarques sans chcp.
setlocal EnableExtensions EnableDelayedExpansion
set "FNP_LIGNE_DEPOT=!cmdcmdline!"
setlocal DisableDelayedExpansion
set "FNP_SCRIPT=%~f0"
if not exist "%~dp0fnp.exe" goto :introuvable
"%~dp0fnp.exe" drop
exit %ERRORLEVEL%
:introuvable
echo fnp.exe est introuvable a cote de ce fichier : gardez-les ensemble dans le meme dossier.
if not defined FNP_SANS_PAUSE pause
exit 2
